import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

/**
 * Prisma's better-sqlite3 adapter runs everything on one connection, and only its
 * interactive transactions take its lock: a query sent outside a transaction (`db.x.create`)
 * while another request's transaction is open runs *inside* that transaction, so it is
 * rolled back with it, and a read can see that transaction's uncommitted rows. (PostgreSQL
 * gives each transaction a connection of its own and is not affected.)
 *
 * This wrapper makes every statement outside a transaction wait its turn behind any open
 * transaction, and transactions wait for each other, in arrival order. better-sqlite3 runs
 * each statement synchronously anyway, so nothing that could run in parallel is lost; a
 * cache hit reads no database and never waits. tests/integration/sqlite-isolation.test.ts
 * shows a write made while another request's transaction rolls back surviving.
 */
type Release = () => void;

/** A first-come, first-served lock: `acquire` resolves with the function that releases it. */
function createLock() {
  let tail: Promise<void> = Promise.resolve();
  return {
    acquire(): Promise<Release> {
      let release!: Release;
      const turn = new Promise<void>((resolve) => {
        release = resolve;
      });
      const ready = tail.then(() => release);
      tail = tail.then(() => turn);
      return ready;
    },
  };
}

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

function once(release: Release): Release {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      release();
    }
  };
}

function serialize(adapter: Adapter): Adapter {
  const lock = createLock();
  const locked =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await lock.acquire();
      try {
        return await run(...args);
      } finally {
        release();
      }
    };
  const queryRaw = locked(adapter.queryRaw.bind(adapter));
  const executeRaw = locked(adapter.executeRaw.bind(adapter));
  const executeScript = locked(adapter.executeScript.bind(adapter));
  const startTransaction = async (...args: Parameters<Adapter["startTransaction"]>): Promise<Transaction> => {
    const release = once(await lock.acquire());
    let transaction: Transaction;
    try {
      transaction = await adapter.startTransaction(...args);
    } catch (error) {
      release();
      throw error;
    }
    // The lock is held until the transaction ends, whichever way it ends.
    return new Proxy(transaction, {
      get(target, property) {
        if (property === "commit" || property === "rollback") {
          return async () => {
            try {
              return await target[property]();
            } finally {
              release();
            }
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };
  return new Proxy(adapter, {
    get(target, property) {
      if (property === "queryRaw") return queryRaw;
      if (property === "executeRaw") return executeRaw;
      if (property === "executeScript") return executeScript;
      if (property === "startTransaction") return startTransaction;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The better-sqlite3 adapter factory, with every connection it makes serialized as above. */
export function serializedSqliteAdapter(url: string): PrismaBetterSqlite3 {
  const factory = new PrismaBetterSqlite3({ url });
  const connect = factory.connect.bind(factory);
  return new Proxy(factory, {
    get(target, property) {
      if (property === "connect") return async () => serialize(await connect());
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
