import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Keyport } from "../client.js";
import { authenticate, type AuthenticateOptions, type KeyportAuth } from "./core.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by keyportExpress once Keyport has verified the caller's key. */
      keyport?: KeyportAuth;
    }
  }
}

/**
 * Express middleware: verifies the caller's `Authorization: Bearer` / `X-API-Key` with
 * Keyport, then sets `req.keyport` ({ key, owner, team }) and calls next(); otherwise
 * answers Keyport's `{ error: { code, message } }` with its status. The client IP is
 * `req.ip`, which follows your app's `trust proxy` setting.
 */
export function keyportExpress(keyport: Keyport, options: AuthenticateOptions<Request> = {}): RequestHandler {
  const ipOf = options.ip ?? ((request: Request) => request.ip);
  return (request: Request, response: Response, next: NextFunction) => {
    authenticate(keyport, { authorization: request.get("authorization"), apiKey: request.get("x-api-key"), ip: ipOf(request) }, options).then(
      (outcome) => {
        if (outcome.ok) {
          request.keyport = outcome.auth;
          return next();
        }
        response.status(outcome.status).set({ "Cache-Control": "no-store", ...outcome.headers }).json(outcome.body);
      },
      next,
    );
  };
}

export type { KeyportAuth } from "./core.js";
