"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      pending={pending}
      onClick={() =>
        startTransition(async () => {
          await signOut({ redirect: false });
          router.replace("/sign-in");
          router.refresh();
        })
      }
    >
      Sign out
    </Button>
  );
}
