// GET /verify-email/open?token=… – the link in a verification mail: keeps the token in a
// cookie and redirects to /verify-email, whose button uses it (lib/users/link-token-cookie.ts).
import { linkOpenedResponse } from "@/lib/users/link-token-cookie";

export function GET(request: Request) {
  return linkOpenedResponse(request, "/verify-email");
}
