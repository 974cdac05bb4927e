import type { OwnerKey } from "@/lib/api-keys/list-api-keys";
import { env } from "@/lib/env";
import type { dailyUsage } from "@/lib/usage/read-usage";
import { CreateKeyButton, CreateKeyProvider, type ScopeOption } from "./create-key-dialog";
import { graceChoices } from "./key-settings";
import { KeyFilters, KeyPager, type KeyListParams } from "./key-filters";
import { KeyScopeProvider } from "./key-scope";
import type { KeyScope } from "./key-scope-paths";
import { KeyTable } from "./key-table";
import { UsageChart } from "./usage-chart";

export interface KeyListPage {
  keys: OwnerKey[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** How many keys there are at all (0: the empty state). */
  all: number;
  hiddenEnded: number;
}

/**
 * A key list with its filters, pager, usage chart and create dialog: the personal dashboard
 * and a team's keys page are this one view over different reads. What the caller may do is
 * decided by lib/ (the team's role rules) and passed in; the actions check it again.
 */
export function KeyListView({
  scope,
  title,
  intro,
  list,
  params,
  usage,
  usageLabel,
  requests24h,
  apiOrigin,
  scopes,
  canCreate,
  canManage,
  creators,
  emptyText,
}: {
  scope: KeyScope;
  title: React.ReactNode;
  intro: React.ReactNode;
  list: KeyListPage;
  params: KeyListParams;
  usage: Awaited<ReturnType<typeof dailyUsage>>;
  usageLabel: string;
  requests24h: Map<string, number>;
  apiOrigin: string;
  scopes: ScopeOption[];
  canCreate: boolean;
  canManage?: (key: OwnerKey) => boolean;
  creators?: Map<string, string>;
  /** The empty state's words when the caller may not create a key. */
  emptyText?: string;
}) {
  return (
    <KeyScopeProvider scope={scope}>
      <CreateKeyProvider scopes={scopes} apiOrigin={apiOrigin}>
        <div className="space-y-6">
          <div className="flex flex-wrap items-end justify-between gap-4">
            <div>
              <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{intro}</p>
            </div>
            {list.all > 0 && canCreate && <CreateKeyButton />}
          </div>

          {list.all === 0 ? (
            <section className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-14 text-center dark:border-zinc-700 dark:bg-zinc-900">
              <div aria-hidden className="mx-auto grid size-12 place-items-center rounded-full bg-indigo-50 font-mono text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-400">
                {env.KEY_PREFIX}_
              </div>
              {canCreate ? (
                <>
                  <h2 className="mt-4 text-lg font-semibold">Create your first API key</h2>
                  <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
                    A key identifies your application when it calls the API. Use a <strong>test</strong> key while you build and a{" "}
                    <strong>live</strong> key in production. You will see the secret once, so have somewhere safe to put it.
                  </p>
                  <div className="mt-6">
                    <CreateKeyButton label="Create your first key" />
                  </div>
                </>
              ) : (
                <>
                  <h2 className="mt-4 text-lg font-semibold">No keys yet</h2>
                  <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{emptyText ?? "There are no keys here yet."}</p>
                </>
              )}
            </section>
          ) : (
            <>
              <section aria-label={scope.teamSlug ? "Team keys" : "Your keys"} className="space-y-3">
                <KeyFilters params={params} listPath={scope.listPath} />
                <KeyPager params={params} page={list.page} pageCount={list.pageCount} total={list.total} pageSize={list.pageSize} hiddenEnded={list.hiddenEnded} listPath={scope.listPath} />
                <KeyTable keys={list.keys} requests24h={requests24h} graceChoices={graceChoices()} apiOrigin={apiOrigin} scope={scope} canManage={canManage} creators={creators} />
              </section>
              <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
                <UsageChart days={usage} label={usageLabel} />
              </section>
            </>
          )}
        </div>
      </CreateKeyProvider>
    </KeyScopeProvider>
  );
}
