// GET /reset-password/open?token=… – the link in a reset mail: keeps the token in a cookie
// and redirects to /reset-password, whose form uses it (lib/users/link-token-cookie.ts).
import { linkOpenedResponse } from "@/lib/users/link-token-cookie";

export function GET(request: Request) {
  return linkOpenedResponse(request, "/reset-password");
}
