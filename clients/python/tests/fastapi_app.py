"""A FastAPI app protected by Keyport, as the README shows; tests/server/clients-python.test.ts serves it with uvicorn."""

import os

from fastapi import Depends, FastAPI

from keyport import Keyport, VerifiedKey

keyport = Keyport(os.environ["KEYPORT_URL"], os.environ["KEYPORT_API_KEY"])
app = FastAPI()
keyport.install(app)


@app.get("/orders")
def orders(caller: VerifiedKey = Depends(keyport.require_key(scopes=["me:read"]))):
    return {"owner": caller.owner, "keyId": caller.key_id, "team": caller.team, "scopes": caller.scopes}


@app.delete("/orders")
def delete_orders(caller: VerifiedKey = Depends(keyport.require_key(scopes=["keys:write"]))):
    return {"deletedBy": caller.owner["id"]}
