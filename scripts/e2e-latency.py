#!/usr/bin/env python3
"""make bench, end to end: a lease appended to dhcpd's lease file -> BIND answers its A and PTR.

Appends the active leases of a template lease file (the project's generator writes it, in
dhcpd's layout) to the lease file a running smart-ipamd follows, one write(2) per lease at a
steady rate, with starts/ends/cltt set to the moment of the append (as dhcpd writes them), and
watches the named on 127.0.0.1 with raw UDP DNS queries (the standard library only):

- the SOA serials of the forward and the reverse zone are asked every --poll seconds (BIND
  bumps a zone's serial with every update it applies);
- when a serial moves, every name still pending in that zone is asked for (A, or PTR), and an
  answer holding the expected address (or name) marks it answered at the moment it arrived;
- a question with no answer after --requery seconds is asked again (a lost datagram); a
  negative answer is not: the name is asked for again at the zone's next serial.

A lease's latency is from just before its write(2) to the later of its two answers. That is
an upper bound: the record was there when the answer left BIND, a little before we read it.
Prints one line of figures (and writes it as JSON with --json). Exits 1 when a lease never got
both answers within --settle seconds after the last append.
"""

import argparse
import json
import os
import random
import resource
import select
import socket
import struct
import sys
import time


def parse_template(path, domain, limit):
    """The template's active leases with a hostname: (address, fqdn, ptr name, block lines)."""
    leases = []
    block = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if block is None:
                if line.startswith("lease "):
                    block = [line]
                continue
            block.append(line)
            if line.startswith("}"):
                text = "".join(block)
                address = block[0].split()[1]
                hostname = None
                for l in block:
                    s = l.strip()
                    if s.startswith('client-hostname "'):
                        hostname = s[len('client-hostname "') : s.rindex('"')]
                if "binding state active;" in text and hostname:
                    fqdn = f"{hostname.lower()}.{domain}"
                    ptr = ".".join(reversed(address.split("."))) + ".in-addr.arpa"
                    leases.append((address, fqdn, ptr, block))
                    if len(leases) >= limit:
                        break
                block = None
    return leases


def dhcpd_date(t):
    """dhcpd's date: weekday (0 = Sunday), then UTC (dhcpd.leases(5))."""
    g = time.gmtime(t)
    return "%d %04d/%02d/%02d %02d:%02d:%02d" % ((g.tm_wday + 1) % 7, g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec)


def render(block, now, lease_seconds):
    out = []
    for line in block:
        s = line.strip()
        if s.startswith("starts ") or s.startswith("cltt "):
            out.append("  %s %s;\n" % (s.split()[0], dhcpd_date(now)))
        elif s.startswith("ends "):
            out.append("  ends %s;\n" % dhcpd_date(now + lease_seconds))
        else:
            out.append(line)
    return "".join(out).encode()


# --- DNS on the wire (RFC 1035 section 4) --------------------------------------------------

TYPE_A, TYPE_PTR, TYPE_SOA = 1, 12, 6


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def query(qid, name, qtype):
    return struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + encode_name(name) + struct.pack("!HH", qtype, 1)


def read_name(msg, offset):
    """A possibly compressed name at offset: (lower-case text, offset after it)."""
    labels = []
    end = None
    for _ in range(128):
        length = msg[offset]
        if length & 0xC0 == 0xC0:
            if end is None:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | msg[offset + 1]
            continue
        offset += 1
        if length == 0:
            break
        labels.append(msg[offset : offset + length].decode("ascii", "replace").lower())
        offset += length
    return ".".join(labels), (end if end is not None else offset)


def answers(msg):
    """(id, rcode, [(type, rdata offset, rdlength)]) of a response; None if it is not one."""
    if len(msg) < 12:
        return None
    qid, flags, qd, an, _, _ = struct.unpack("!HHHHHH", msg[:12])
    if not flags & 0x8000:
        return None
    offset = 12
    for _ in range(qd):
        _, offset = read_name(msg, offset)
        offset += 4
    rrs = []
    for _ in range(an):
        _, offset = read_name(msg, offset)
        rtype, _, _, rdlength = struct.unpack("!HHIH", msg[offset : offset + 10])
        offset += 10
        rrs.append((rtype, offset, rdlength))
        offset += rdlength
    return qid, flags & 0xF, rrs


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--template", required=True, help="a lease file in dhcpd's layout (lease-files-bench generate)")
    ap.add_argument("--leases", required=True, help="the lease file smart-ipamd follows (appended to)")
    ap.add_argument("--port", type=int, required=True, help="named on 127.0.0.1:PORT")
    ap.add_argument("--domain", required=True, help="the forward domain the leases' names go under")
    ap.add_argument("--zone", help="the forward zone (default: --domain)")
    ap.add_argument("--reverse-zone", required=True, help="the reverse zone holding the PTRs, e.g. 10.in-addr.arpa")
    ap.add_argument("--rate", type=float, default=500, help="leases per second")
    ap.add_argument("--seconds", type=float, default=10, help="how long to append")
    ap.add_argument("--warmup", type=int, default=100, help="leases appended first, at the same rate, and not counted")
    ap.add_argument("--poll", type=float, default=0.001, help="SOA poll interval, seconds")
    ap.add_argument("--requery", type=float, default=0.05, help="ask again when a question had no answer for this long")
    ap.add_argument("--settle", type=float, default=15, help="seconds to wait for the last answers")
    ap.add_argument("--lease-seconds", type=int, default=3600)
    ap.add_argument("--json", help="write the figures here as JSON")
    ap.add_argument("--timeline", help="write one line per lease here: index, appended, A seen, PTR seen "
                    "(seconds since the first append; - for never), to tell a stalled writer from a stalled reader")
    args = ap.parse_args()
    zone = (args.zone or args.domain).rstrip(".").lower()
    rzone = args.reverse_zone.rstrip(".").lower()

    total = args.warmup + int(args.rate * args.seconds)
    leases = parse_template(args.template, args.domain.rstrip(".").lower(), total)
    if len(leases) < total:
        sys.exit(f"e2e-latency: the template holds {len(leases)} active leases with hostnames, {total} needed")

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.connect(("127.0.0.1", args.port))
    sock.setblocking(False)
    fd = os.open(args.leases, os.O_WRONLY | os.O_APPEND)

    # Per lease: append time, A seen, PTR seen, last asked (A, PTR).
    appended = [None] * total
    seen_a = [None] * total
    seen_ptr = [None] * total
    unanswered = {}  # (index, qtype) -> when asked, while no answer came
    pending = {TYPE_A: set(), TYPE_PTR: set()}
    inflight = {}  # query id -> (kind, index or zone, time sent)
    next_id = random.randrange(1 << 16)
    serial = {zone: None, rzone: None}
    queries_sent = 0
    serial_changes = 0
    clock = time.monotonic

    def send(kind, payload_name, qtype, ref):
        nonlocal next_id, queries_sent
        for _ in range(1 << 16):
            next_id = (next_id + 1) & 0xFFFF
            if next_id not in inflight:
                break
        try:
            sock.send(query(next_id, payload_name, qtype))
        except BlockingIOError:
            return
        inflight[next_id] = (kind, ref, clock(), qtype)
        queries_sent += 1

    def ask(i, qtype):
        unanswered[(i, qtype)] = clock()
        send("rr", leases[i][1] if qtype == TYPE_A else leases[i][2], qtype, i)

    def ask_zone(z):
        for i in list(pending[TYPE_A if z == zone else TYPE_PTR]):
            ask(i, TYPE_A if z == zone else TYPE_PTR)

    def receive():
        nonlocal serial_changes
        while True:
            try:
                msg = sock.recv(4096)
            except BlockingIOError:
                return
            now = clock()
            parsed = answers(msg)
            if parsed is None:
                continue
            qid, rcode, rrs = parsed
            entry = inflight.pop(qid, None)
            if entry is None:
                continue
            kind, ref, _, qtype = entry
            if kind == "rr":
                unanswered.pop((ref, qtype), None)  # NXDOMAIN is an answer too
            if rcode != 0:
                continue
            if kind == "soa":
                for rtype, off, _ in rrs:
                    if rtype == TYPE_SOA:
                        _, o = read_name(msg, off)
                        _, o = read_name(msg, o)
                        value = struct.unpack("!I", msg[o : o + 4])[0]
                        if serial[ref] is not None and value != serial[ref]:
                            serial_changes += 1
                            ask_zone(ref)
                        serial[ref] = value
                continue
            i = ref
            address, fqdn, _, _ = leases[i]
            for rtype, off, rdlength in rrs:
                if rtype == TYPE_A and rdlength == 4 and socket.inet_ntoa(msg[off : off + 4]) == address and seen_a[i] is None:
                    seen_a[i] = now
                    pending[TYPE_A].discard(i)
                elif rtype == TYPE_PTR and read_name(msg, off)[0] == fqdn and seen_ptr[i] is None:
                    seen_ptr[i] = now
                    pending[TYPE_PTR].discard(i)

    start = clock()
    interval = 1.0 / args.rate
    next_append = start
    next_poll = start
    appended_count = 0
    deadline = None
    while True:
        now = clock()
        if appended_count < total and now >= next_append:
            i = appended_count
            data = render(leases[i][3], time.time(), args.lease_seconds)
            appended[i] = clock()
            os.write(fd, data)
            pending[TYPE_A].add(i)
            pending[TYPE_PTR].add(i)
            appended_count += 1
            next_append = start + appended_count * interval
            if appended_count == total:
                deadline = clock() + args.settle
            continue
        if now >= next_poll:
            send("soa", zone, TYPE_SOA, zone)
            send("soa", rzone, TYPE_SOA, rzone)
            next_poll = now + args.poll
            # Datagrams lost (ours or BIND's answers): ask again after --requery.
            for (i, qtype), t in list(unanswered.items()):
                if i not in pending[qtype]:
                    del unanswered[(i, qtype)]
                elif now - t > args.requery:
                    ask(i, qtype)
            for qid in [q for q, (_, _, t, _) in inflight.items() if now - t > 1.0]:
                del inflight[qid]
        if deadline is not None and (not pending[TYPE_A] and not pending[TYPE_PTR] or now > deadline):
            break
        wait = min(next_poll, next_append if appended_count < total else next_poll) - clock()
        readable, _, _ = select.select([sock], [], [], max(0.0, wait))
        if readable:
            receive()
    os.close(fd)

    counted = range(args.warmup, total)
    both = sorted((max(seen_a[i], seen_ptr[i]) - appended[i]) * 1000 for i in counted if seen_a[i] and seen_ptr[i])
    only_a = sorted((seen_a[i] - appended[i]) * 1000 for i in counted if seen_a[i])
    missing = len(counted) - len(both)
    elapsed = appended[total - 1] - appended[args.warmup] if total > args.warmup + 1 else 0
    figures = {
        "leases": len(counted),
        "answered": len(both),
        "missing": missing,
        "rate": round((len(counted) - 1) / elapsed, 1) if elapsed > 0 else 0,
        "p50_ms": round(percentile(both, 50), 2),
        "p90_ms": round(percentile(both, 90), 2),
        "p99_ms": round(percentile(both, 99), 2),
        "max_ms": round(both[-1], 2) if both else float("nan"),
        "a_p50_ms": round(percentile(only_a, 50), 2),
        "a_p99_ms": round(percentile(only_a, 99), 2),
        "queries": queries_sent,
        "serial_changes": serial_changes,
        "warmup": args.warmup,
        "cpu_s": round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 1),
    }
    print(" ".join(f"{k} {v}" for k, v in figures.items()))
    if args.timeline:
        def since(t):
            return f"{t - start:.4f}" if t else "-"
        with open(args.timeline, "w") as f:
            for i in range(total):
                f.write(f"{i} {since(appended[i])} {since(seen_a[i])} {since(seen_ptr[i])}\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f)
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
