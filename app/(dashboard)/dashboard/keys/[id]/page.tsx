import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getKeyForOwner } from "@/lib/api-keys/list-api-keys";
import { requireUser } from "@/lib/auth";
import { dailyUsage } from "@/lib/usage/read-usage";
import { apiOrigin } from "../_components/api-origin";
import { KeyDetailsView } from "../_components/key-details-view";
import { PERSONAL_SCOPE } from "../_components/key-scope-paths";
import { scopeOptions } from "../_components/key-settings";

export const metadata: Metadata = { title: "Key" };

export default async function KeyPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  // Another user's key id answers exactly like one that does not exist.
  const key = await getKeyForOwner(id, user.id);
  if (!key) notFound();
  const [usage, origin] = await Promise.all([dailyUsage([key.id]), apiOrigin()]);
  return <KeyDetailsView keyRow={key} scope={PERSONAL_SCOPE} usage={usage} scopes={scopeOptions(user.role === "ADMIN")} apiOrigin={origin} canManage viewerId={user.id} />;
}
