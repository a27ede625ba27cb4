// Telling the neighbours that an address now lives here: gratuitous ARP for IPv4 through `arping -U`
// (Debian iputils-arping), an unsolicited Neighbor Advertisement for IPv6 through a small Perl program
// on a raw ICMPv6 socket (perl-base is part of every Debian system). Node has no raw sockets, and the
// kernel's own unsolicited NA (`ndisc_notify`) is sent only after duplicate address detection, never
// for an address added with `nodad`. Helpers run with a timeout, a bound on how many run at once, and a
// minimum interval between the end of one announcement of an address on a link and the next.
import { runHelper } from './run-helper.ts';
import type { HelperRunner } from './run-helper.ts';
import { createSemaphore } from './semaphore.ts';
import type { DriverResult } from './driver-error.ts';
import { fail, ok } from './driver-error.ts';
import type { AnnounceOutcome, IpFamily } from './netlink-driver.ts';

/** Sends `count` unsolicited NAs (override flag, target link-layer option) to ff02::1 from the address. */
export const UNSOLICITED_NA_PERL = `use strict; use warnings;
use Socket qw(AF_INET6 SOCK_RAW IPPROTO_IPV6 IPV6_MULTICAST_HOPS IPV6_MULTICAST_IF inet_pton pack_sockaddr_in6);
my ($target, $ifindex, $mac, $count) = @ARGV;
my $t = inet_pton(AF_INET6, $target) // die "bad address $target\\n";
socket(my $s, AF_INET6, SOCK_RAW, 58) or die "socket: $!\\n";
setsockopt($s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, pack('i', 255)) or die "hop limit: $!\\n";
setsockopt($s, IPPROTO_IPV6, IPV6_MULTICAST_IF, pack('i', $ifindex)) or die "interface: $!\\n";
bind($s, pack_sockaddr_in6(0, $t, $ifindex)) or die "bind $target: $!\\n";
my $na = pack('CCnN', 136, 0, 0, 0x20000000) . $t . pack('CC', 2, 1) . pack('H12', $mac =~ s/://gr);
my $to = pack_sockaddr_in6(0, inet_pton(AF_INET6, 'ff02::1'), $ifindex);
for (1 .. $count) { defined(send($s, $na, 0, $to)) or die "send: $!\\n"; }
`;

/** What the announcer needs to know about the address and its link. */
export interface AnnounceTarget {
  readonly family: IpFamily;
  /** Canonical text. */
  readonly address: string;
  readonly link: string;
  readonly linkIndex: number;
  readonly mac: string | undefined;
}

export interface AnnouncerOptions {
  /** How helpers are run (tests replace it). */
  readonly run?: HelperRunner;
  /** Helpers running at once (default 8). */
  readonly concurrency?: number;
  /**
   * After an address was announced on a link, announcing it again within this many milliseconds is
   * suppressed, as is a second announcement while one is running (default 1000).
   */
  readonly minIntervalMs?: number;
  /** A helper is killed after this many milliseconds (default 5000; `arping -U -c 1` takes about 1 s). */
  readonly timeoutMs?: number;
  /** Monotonic milliseconds, for the minimum interval. */
  readonly now?: () => number;
  readonly arpingPath?: string;
  readonly perlPath?: string;
}

export interface Announcer {
  announce(target: AnnounceTarget): Promise<DriverResult<AnnounceOutcome>>;
}

const NA_COUNT = 2;

export function createAnnouncer(options: AnnouncerOptions = {}): Announcer {
  const run = options.run ?? runHelper;
  const limit = createSemaphore(options.concurrency ?? 8);
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => performance.now());
  const arping = options.arpingPath ?? 'arping';
  const perl = options.perlPath ?? 'perl';
  /** When each recent announcement finished, by link and address. */
  const lastSent = new Map<string, number>();
  const inFlight = new Set<string>();

  const forget = (at: number): void => {
    if (lastSent.size < 1024) return;
    for (const [key, sent] of lastSent) if (at - sent >= minIntervalMs) lastSent.delete(key);
  };

  return {
    async announce(target) {
      const key = `${target.link}|${target.address}`;
      const previous = lastSent.get(key);
      if (inFlight.has(key) || (previous !== undefined && now() - previous < minIntervalMs)) {
        return ok<AnnounceOutcome>({ kind: 'suppressed' });
      }
      const what = `announcing ${target.address} on ${target.link}`;
      if (target.family === 'IPv6' && target.mac === undefined) {
        return fail('announce', 'AnnounceFailed', `${what} failed: the link has no hardware address`);
      }
      inFlight.add(key);
      const [file, args] =
        target.family === 'IPv4'
          ? [arping, ['-q', '-U', '-c', '1', '-I', target.link, target.address]]
          : [
              perl,
              ['-e', UNSOLICITED_NA_PERL, target.address, String(target.linkIndex), target.mac ?? '', String(NA_COUNT)],
            ];
      const outcome = await limit.run(() => run(file, args, timeoutMs));
      inFlight.delete(key);
      if (outcome.kind === 'exited' && outcome.code === 0) {
        const at = now();
        forget(at);
        lastSent.set(key, at);
        return ok<AnnounceOutcome>({ kind: 'sent' });
      }
      const why =
        outcome.kind === 'exited'
          ? `${file} exited with ${outcome.code}${outcome.stderr === '' ? '' : `: ${outcome.stderr}`}`
          : outcome.message;
      return fail('announce', 'AnnounceFailed', `${what} failed: ${why}`);
    },
  };
}
