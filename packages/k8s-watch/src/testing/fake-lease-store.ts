// An in-memory Lease store with optimistic concurrency, shared by any number of LeaseClients, whose
// clients can be made to fail or hang.
import type { LeaseClient, LeaseRecord, LeaseRef, LeaseSpec } from '../lease-client.ts';
import type { ApiError, ApiResult } from '../api-result.ts';

export type FakeLeaseFault = 'none' | 'unavailable' | 'hang';

export interface FakeLeaseStore {
  /** A client of the store; `name` identifies it for `setFault`. */
  client(name?: string): LeaseClient;
  /** Makes every request of one client (or of all, with `*`) fail or hang until set back to `none`. */
  setFault(name: string, fault: FakeLeaseFault): void;
  read(ref: LeaseRef): LeaseRecord | undefined;
  /** Writes a lease directly, as another actor would. */
  put(ref: LeaseRef, spec: LeaseSpec): LeaseRecord;
  /** Every successful write, in order: which client, what, and the holder written. */
  readonly writes: readonly { client: string; op: 'create' | 'replace' | 'delete'; holder: string | undefined }[];
}

export function createFakeLeaseStore(): FakeLeaseStore {
  const leases = new Map<string, LeaseRecord>();
  const faults = new Map<string, FakeLeaseFault>();
  const writes: { client: string; op: 'create' | 'replace' | 'delete'; holder: string | undefined }[] = [];
  let version = 0;
  const keyOf = (ref: LeaseRef): string => `${ref.namespace}/${ref.name}`;
  const store = (ref: LeaseRef, spec: LeaseSpec): LeaseRecord => {
    const record: LeaseRecord = { ...spec, resourceVersion: String(++version) };
    leases.set(keyOf(ref), record);
    return record;
  };
  const error = (
    code: ApiError['code'],
    status: number | undefined,
    message: string,
  ): { ok: false; error: ApiError } => ({
    ok: false,
    error: { code, status, message },
  });

  const client = (name = 'client'): LeaseClient => {
    const run = async <T>(op: () => ApiResult<T>): Promise<ApiResult<T>> => {
      await Promise.resolve();
      const fault = faults.get(name) ?? faults.get('*') ?? 'none';
      switch (fault) {
        case 'none':
          return op();
        case 'unavailable':
          return error('Unavailable', undefined, 'connect ECONNREFUSED');
        case 'hang':
          return new Promise<ApiResult<T>>(() => {});
      }
    };
    return {
      get: (ref) => run(() => ({ ok: true, value: leases.get(keyOf(ref)) })),
      create: (ref, spec) =>
        run(() => {
          if (leases.has(keyOf(ref))) return error('AlreadyExists', 409, `leases "${ref.name}" already exists`);
          writes.push({ client: name, op: 'create', holder: spec.holderIdentity });
          return { ok: true, value: store(ref, spec) };
        }),
      replace: (ref, spec, resourceVersion) =>
        run(() => {
          const current = leases.get(keyOf(ref));
          if (current === undefined) return error('NotFound', 404, `leases "${ref.name}" not found`);
          if (current.resourceVersion !== resourceVersion)
            return error('Conflict', 409, 'the object has been modified');
          writes.push({ client: name, op: 'replace', holder: spec.holderIdentity });
          return { ok: true, value: store(ref, spec) };
        }),
      delete: (ref, resourceVersion) =>
        run(() => {
          const current = leases.get(keyOf(ref));
          if (current === undefined) return { ok: true, value: undefined };
          if (resourceVersion !== undefined && current.resourceVersion !== resourceVersion) {
            return error('Conflict', 409, 'precondition failed');
          }
          writes.push({ client: name, op: 'delete', holder: undefined });
          leases.delete(keyOf(ref));
          return { ok: true, value: undefined };
        }),
    };
  };

  return {
    client,
    setFault: (name, fault) => faults.set(name, fault),
    read: (ref) => leases.get(keyOf(ref)),
    put: store,
    writes,
  };
}
