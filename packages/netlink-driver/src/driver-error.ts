// Failures as values: the kernel's errno by name where there is one, the driver's own codes otherwise.

/** Every failure code. A closed union: it may grow in a minor release. */
export type DriverErrorCode =
  | 'EPERM'
  | 'ENOENT'
  | 'EACCES'
  | 'EBUSY'
  | 'EEXIST'
  | 'ENODEV'
  | 'EINVAL'
  | 'ERANGE'
  | 'EOPNOTSUPP'
  | 'EADDRNOTAVAIL'
  | 'ENOBUFS'
  | 'ENOMEM'
  | 'ETIMEDOUT'
  /** The driver was closed before or during the call. */
  | 'Closed'
  /** The announcement helper (`arping`, `perl`) is missing, failed or timed out. */
  | 'AnnounceFailed'
  /** Any other kernel error; `errno` says which. */
  | 'Unknown';

/** The operation that failed: the name of the `NetlinkDriver` method. */
export type DriverOp =
  | 'listLinks'
  | 'listAddresses'
  | 'defaultRoutes'
  | 'findSubnet'
  | 'ensureLink'
  | 'addAddress'
  | 'replaceAddress'
  | 'deleteAddress'
  | 'announce'
  | 'changes';

export interface DriverError {
  readonly code: DriverErrorCode;
  readonly op: DriverOp;
  readonly message: string;
  /** The kernel's errno, when the kernel answered with one. */
  readonly errno?: number;
}

export type DriverResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DriverError };

const ERRNO_CODES: ReadonlyMap<number, DriverErrorCode> = new Map<number, DriverErrorCode>([
  [1, 'EPERM'],
  [2, 'ENOENT'],
  [12, 'ENOMEM'],
  [13, 'EACCES'],
  [16, 'EBUSY'],
  [17, 'EEXIST'],
  [19, 'ENODEV'],
  [22, 'EINVAL'],
  [34, 'ERANGE'],
  [95, 'EOPNOTSUPP'],
  [99, 'EADDRNOTAVAIL'],
  [105, 'ENOBUFS'],
  [110, 'ETIMEDOUT'],
]);

/** The code for a positive Linux errno. */
export function errnoCode(errno: number): DriverErrorCode {
  return ERRNO_CODES.get(errno) ?? 'Unknown';
}

export const ok = <T>(value: T): DriverResult<T> => ({ ok: true, value });

export function fail<T>(op: DriverOp, code: DriverErrorCode, message: string): DriverResult<T> {
  return { ok: false, error: { code, op, message } };
}

/** ENODEV for a link name that names no link. */
export function noSuchLink<T>(op: DriverOp, name: string): DriverResult<T> {
  return { ok: false, error: { code: 'ENODEV', op, message: `link ${name} does not exist`, errno: 19 } };
}

/** A kernel refusal of `what` (e.g. `adding 192.0.2.1/24 to eth0`) as a failed result. */
export function kernelFailure<T>(op: DriverOp, errno: number, what: string): DriverResult<T> {
  const code = errnoCode(errno);
  const name = code === 'Unknown' ? `errno ${errno}` : code;
  return { ok: false, error: { code, op, message: `${what} failed: the kernel answered ${name}`, errno } };
}
