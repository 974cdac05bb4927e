import type { Metadata } from "next";
import { requireUser } from "@/lib/auth";
import { CreateTeamForm } from "../_components/create-team-form";

export const metadata: Metadata = { title: "Create a team" };

export default async function NewTeamPage() {
  await requireUser();
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Create a team</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          A team&apos;s keys belong to the team, not to whoever created them: they keep working when people leave. You will be its first owner.
        </p>
      </div>
      <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <CreateTeamForm />
      </section>
    </div>
  );
}
