import { redirect } from "next/navigation";
import { loadTeamPage } from "./load-team-page";

/** A team's home is its keys. */
export default async function TeamHomePage({ params }: { params: Promise<{ slug: string }> }) {
  const { team } = await loadTeamPage((await params).slug);
  redirect(`/dashboard/teams/${team.slug}/keys`);
}
