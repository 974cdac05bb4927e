// GET /invite/<token> – the link in a team invitation mail: moves the token into an httpOnly
// cookie scoped to /invite and redirects (303, no-store, no Referer) to /invite, the page
// without it. The token is then in no URL the person sees, bookmarks, or leaves by a link;
// only the page's Accept button (a POST) uses it, which a mail scanner's GET never does.
import { linkOpenedResponse } from "@/lib/users/link-token-cookie";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const clean = new URL("/invite", request.url);
  clean.searchParams.set("token", token);
  return linkOpenedResponse(new Request(clean), "/invite");
}
