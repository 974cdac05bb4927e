import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id: string; email?: string | null; name?: string | null; image?: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The Session row's id (lib/sessions/): the cookie carries this and `sub`, nothing else. */
    sid?: string;
  }
}
