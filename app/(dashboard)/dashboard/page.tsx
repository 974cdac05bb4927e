import type { Metadata } from "next";
import { listKeysPageForOwner, ownerKeyIds } from "@/lib/api-keys/list-api-keys";
import { KEY_STATUS_LABELS, type KeyStatus } from "@/lib/api-keys/key-status";
import { requireUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { apiOrigin } from "./keys/_components/api-origin";
import { CreateKeyButton, CreateKeyProvider } from "./keys/_components/create-key-dialog";
import { graceChoices, scopeOptions } from "./keys/_components/key-settings";
import { KeyFilters, KeyPager, type KeyListParams } from "./keys/_components/key-filters";
import { KeyTable } from "./keys/_components/key-table";
import { UsageChart } from "./keys/_components/usage-chart";
import { dailyUsage, requestsLast24h } from "@/lib/usage/read-usage";

export const metadata: Metadata = { title: "API keys" };

type SearchParams = Record<string, string | string[] | undefined>;

/** ?q=&status=&env=&show=all&page= as typed values; anything unknown is ignored. */
function readListParams(searchParams: SearchParams): KeyListParams {
  const one = (name: string) => {
    const raw = searchParams[name];
    return (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 200) || undefined;
  };
  const status = one("status");
  const env = one("env");
  const page = Number(one("page"));
  return {
    q: one("q"),
    status: status && status in KEY_STATUS_LABELS ? (status as KeyStatus) : undefined,
    env: env === "test" || env === "live" ? env : undefined,
    show: one("show") === "all" ? "all" : undefined,
    page: Number.isInteger(page) && page > 0 ? page : undefined,
  };
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const params = readListParams(await searchParams);
  const [list, allIds, origin] = await Promise.all([
    listKeysPageForOwner(user.id, { search: params.q, status: params.status, environment: params.env, includeEnded: params.show === "all", page: params.page }),
    ownerKeyIds(user.id),
    apiOrigin(),
  ]);
  const keys = list.keys;
  const [usage, last24h] = await Promise.all([dailyUsage(allIds), requestsLast24h(keys.map((key) => key.id))]);

  return (
    <CreateKeyProvider scopes={scopeOptions(user.role === "ADMIN")} apiOrigin={origin}>
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Keys authenticate your code to <code className="font-mono">/api/v1</code>. Up to {env.MAX_ACTIVE_KEYS_PER_USER} active keys.
          </p>
        </div>
        {list.all > 0 && <CreateKeyButton />}
      </div>

      {list.all === 0 ? (
        <section className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-14 text-center dark:border-zinc-700 dark:bg-zinc-900">
          <div aria-hidden className="mx-auto grid size-12 place-items-center rounded-full bg-indigo-50 font-mono text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-400">
            {env.KEY_PREFIX}_
          </div>
          <h2 className="mt-4 text-lg font-semibold">Create your first API key</h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
            A key identifies your application when it calls the API. Use a <strong>test</strong> key while you build and a{" "}
            <strong>live</strong> key in production. You will see the secret once, so have somewhere safe to put it.
          </p>
          <div className="mt-6">
            <CreateKeyButton label="Create your first key" />
          </div>
        </section>
      ) : (
        <>
          <section aria-label="Your keys" className="space-y-3">
            <KeyFilters params={params} />
            <KeyPager params={params} page={list.page} pageCount={list.pageCount} total={list.total} pageSize={list.pageSize} hiddenEnded={list.hiddenEnded} />
            <KeyTable keys={keys} requests24h={last24h} graceChoices={graceChoices()} apiOrigin={origin} />
          </section>
          <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
            <UsageChart days={usage} label="All your keys" />
          </section>
        </>
      )}
    </div>
    </CreateKeyProvider>
  );
}
