// GET|POST /api/auth/* – next-auth: sign-in, sign-out, session, CSRF token
import NextAuth from "next-auth";
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { authOptions } from "@/lib/auth";

const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };

// Every other method: the JSON 405 with the real Allow (Next's own 405 has an empty body).
const notAllowed = methodNotAllowed("GET", "POST");
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = notAllowed.options;
