import { Button } from "@/components/ui/button";
import { signOutAction } from "../actions";

/**
 * A form, not a script: the sign-out posts to a server action that ends the Session row on
 * the server and clears the cookie, with or without JavaScript.
 */
export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <Button type="submit" variant="ghost" size="sm">
        Sign out
      </Button>
    </form>
  );
}
