import type { Metadata } from "next";
import { listKeysPageForOwner, ownerKeyIds } from "@/lib/api-keys/list-api-keys";
import { requireUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { dailyUsage, requestsLast24h } from "@/lib/usage/read-usage";
import { apiOrigin } from "./keys/_components/api-origin";
import { readListParams, type SearchParams } from "./keys/_components/key-filters";
import { KeyListView } from "./keys/_components/key-list-view";
import { PERSONAL_SCOPE } from "./keys/_components/key-scope-paths";
import { scopeOptions } from "./keys/_components/key-settings";

export const metadata: Metadata = { title: "API keys" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const params = readListParams(await searchParams);
  const [list, allIds, origin] = await Promise.all([
    listKeysPageForOwner(user.id, { search: params.q, status: params.status, environment: params.env, includeEnded: params.show === "all", page: params.page }),
    ownerKeyIds(user.id),
    apiOrigin(),
  ]);
  const [usage, last24h] = await Promise.all([dailyUsage(allIds), requestsLast24h(list.keys.map((key) => key.id))]);

  return (
    <KeyListView
      scope={PERSONAL_SCOPE}
      title="API keys"
      intro={<>Keys authenticate your code to <code className="font-mono">/api/v1</code>. Up to {env.MAX_ACTIVE_KEYS_PER_USER} active keys.</>}
      list={list}
      params={params}
      usage={usage}
      usageLabel="All your keys"
      requests24h={last24h}
      apiOrigin={origin}
      scopes={scopeOptions(user.role === "ADMIN")}
      canCreate
    />
  );
}
