import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser } from "@/lib/auth";
import { findTeamMembership } from "@/lib/teams/manage-teams";

/**
 * The signed-in user and their membership of the team in the URL, read from the database on
 * every request (a layout is not re-rendered on every navigation, so each team page calls
 * this itself; React's cache() makes the layout's and the page's call one read per request).
 * A non-member, a removed member and a deleted team all get the same 404.
 */
export const loadTeamPage = cache(async (slug: string) => {
  const user = await requireUser();
  const membership = await findTeamMembership(user.id, decodeURIComponent(slug));
  if (!membership) notFound();
  return { user, ...membership };
});
