#!/usr/bin/env python3
"""Triad attestation verifier (host side).

Reads the evidence a Triad monitor printed on its console (event log, PCR
read-back, attestation key, quote), replays the event log, and checks:
  1. the event log is well formed (Spec ID header, SHA-256 events);
  2. the replayed PCRs equal the quote's PCR digest (or, without a quote,
     the PCR values the monitor read back);
  3. the quote's signature under the attestation key (ECDSA P-256);
  4. the quote's nonce is the verifier's (a replayed quote has an old one);
  5. each measured image equals the golden file given with --image.
Prints one verdict line per component and "VERIFIED" or "REJECTED: <why>".
Exit status 0 only when everything checks.
"""
import argparse, hashlib, re, struct, sys

PCRS = (8, 9, 10, 11)
EV_NO_ACTION = 3


class Reject(Exception):
    pass


def console_blobs(text):
    """The hex dumps 'attest: NAME OFFSET HEX' ... 'attest: NAME end LEN'."""
    parts, ends, pcrs, facts = {}, {}, {}, []
    for line in text.replace('\r', '').splitlines():
        m = re.search(r'attest: ([a-z-]+) (\d+) ([0-9a-f]+)$', line)
        if m:
            parts.setdefault(m.group(1), {})[int(m.group(2))] = bytes.fromhex(m.group(3))
            continue
        m = re.search(r'attest: ([a-z-]+) end (\d+)$', line)
        if m:
            ends[m.group(1)] = int(m.group(2))
            continue
        m = re.search(r'attest: PCR (\d+) sha256 ([0-9a-f]{64})$', line)
        if m:
            pcrs[int(m.group(1))] = bytes.fromhex(m.group(2))
            continue
        m = re.search(r'attest: (.*)$', line)
        if m:
            facts.append(m.group(1))
    blobs = {}
    for name, chunks in parts.items():
        data = b''.join(chunks[k] for k in sorted(chunks))
        if name not in ends or len(data) != ends[name]:
            raise Reject(f'{name}: console dump incomplete')
        blobs[name] = data
    return blobs, pcrs, facts


def parse_log(log):
    """Events (pcr, type, digest, description) of a crypto-agile SHA-256 log."""
    if len(log) < 65:
        raise Reject('event log: shorter than its Spec ID header')
    pcr, etype = struct.unpack_from('<II', log, 0)
    size = struct.unpack_from('<I', log, 28)[0]
    spec = log[32:32 + size]
    if etype != EV_NO_ACTION or spec[:16] != b'Spec ID Event03\0':
        raise Reject('event log: no Spec ID Event03 header')
    nalg = struct.unpack_from('<I', spec, 24)[0]
    algs = [struct.unpack_from('<HH', spec, 28 + 4 * i) for i in range(nalg)]
    if algs != [(0x000B, 32)]:
        raise Reject(f'event log: algorithms {algs}, expected SHA-256 only')
    at, events = 32 + size, []
    while at < len(log):
        if at + 50 > len(log):
            raise Reject(f'event log: truncated event at byte {at}')
        pcr, etype, count, alg = struct.unpack_from('<IIIH', log, at)
        if count != 1 or alg != 0x000B or pcr > 23:
            raise Reject(f'event log: malformed event at byte {at}')
        digest = log[at + 14:at + 46]
        n = struct.unpack_from('<I', log, at + 46)[0]
        if at + 50 + n > len(log):
            raise Reject(f'event log: event data runs past the end at byte {at}')
        events.append((pcr, etype, digest, log[at + 50:at + 50 + n].decode('ascii', 'replace')))
        at += 50 + n
    return events


def replay(events):
    pcr = {i: bytes(32) for i in PCRS}
    for index, _, digest, _ in events:
        if index in pcr:
            pcr[index] = hashlib.sha256(pcr[index] + digest).digest()
    return pcr


def parse_attest(msg):
    """TPMS_ATTEST of a quote: (nonce, selected PCRs, pcr digest)."""
    magic, typ = struct.unpack_from('>IH', msg, 0)
    if magic != 0xFF544347 or typ != 0x8018:
        raise Reject('quote: not a TPM-generated quote structure')
    at = 6
    n = struct.unpack_from('>H', msg, at)[0]; at += 2 + n          # qualifiedSigner
    n = struct.unpack_from('>H', msg, at)[0]
    nonce = msg[at + 2:at + 2 + n]; at += 2 + n
    at += 17 + 8                                                   # clockInfo, firmwareVersion
    count = struct.unpack_from('>I', msg, at)[0]; at += 4
    selected = []
    for _ in range(count):
        alg, size = struct.unpack_from('>HB', msg, at)
        mask = int.from_bytes(msg[at + 3:at + 3 + size], 'little')
        selected += [(alg, i) for i in range(size * 8) if mask >> i & 1]
        at += 3 + size
    n = struct.unpack_from('>H', msg, at)[0]
    return nonce, selected, msg[at + 2:at + 2 + n]


def check_signature(pub, msg, sig):
    from cryptography.hazmat.primitives.asymmetric import ec, utils
    from cryptography.hazmat.primitives import hashes
    from cryptography.exceptions import InvalidSignature
    # TPM2B_PUBLIC: size, type, nameAlg, attributes, authPolicy, ECC parms (10 bytes), x, y
    at = 2
    typ = struct.unpack_from('>H', pub, at)[0]
    if typ != 0x0023:
        raise Reject('attestation key: not an ECC key')
    at += 8
    n = struct.unpack_from('>H', pub, at)[0]; at += 2 + n + 10
    n = struct.unpack_from('>H', pub, at)[0]; x = pub[at + 2:at + 2 + n]; at += 2 + n
    n = struct.unpack_from('>H', pub, at)[0]; y = pub[at + 2:at + 2 + n]
    key = ec.EllipticCurvePublicNumbers(int.from_bytes(x, 'big'), int.from_bytes(y, 'big'),
                                        ec.SECP256R1()).public_key()
    alg, _ = struct.unpack_from('>HH', sig, 0)
    if alg != 0x0018:
        raise Reject('quote: signature is not ECDSA')
    n = struct.unpack_from('>H', sig, 4)[0]; r = sig[6:6 + n]
    m = struct.unpack_from('>H', sig, 6 + n)[0]; s = sig[8 + n:8 + n + m]
    try:
        key.verify(utils.encode_dss_signature(int.from_bytes(r, 'big'), int.from_bytes(s, 'big')),
                   msg, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Reject('quote: signature does not verify under the attestation key')


def component(desc):
    """Golden-manifest name of an event: its module name."""
    if desc == 'system.bin':
        return 'system.bin'
    m = re.match(r'\S+ kernel (\S+)$', desc) or re.match(r'module (\S+)$', desc)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--console', required=True, help='monitor console log (COM1)')
    ap.add_argument('--log', help='event log file to use instead of the console dump')
    ap.add_argument('--nonce', help='the nonce this verifier sent (hex); required for a quote')
    ap.add_argument('--image', action='append', default=[], metavar='NAME=PATH',
                    help='golden file of module NAME (repeatable)')
    ap.add_argument('--extract', metavar='DIR', help='write event-log.bin, ak.pub, quote.msg, quote.sig')
    a = ap.parse_args()
    ok = True
    try:
        blobs, readback, facts = console_blobs(open(a.console, errors='replace').read())
        if a.extract:
            for name, fn in (('event-log', 'event-log.bin'), ('ak-public', 'ak.pub'),
                             ('quote-attest', 'quote.msg'), ('quote-signature', 'quote.sig')):
                if name in blobs:
                    open(f'{a.extract}/{fn}', 'wb').write(blobs[name])
        log = open(a.log, 'rb').read() if a.log else blobs.get('event-log')
        if log is None:
            raise Reject('no event log in the evidence')
        events = parse_log(log)
        for f in facts:
            if f.startswith('Triad launch:'):
                print(f'launch: {f[len("Triad launch: "):]}')
        if any('unmeasured' in f for f in facts):
            raise Reject('TPM: this boot is unmeasured (no TPM or the TPM failed)')
        pcr = replay(events)
        if 'quote-attest' in blobs:
            nonce, selected, digest = parse_attest(blobs['quote-attest'])
            check_signature(blobs['ak-public'], blobs['quote-attest'], blobs['quote-signature'])
            print('quote: signature valid (ECDSA P-256, SHA-256)')
            if a.nonce is None or nonce != bytes.fromhex(a.nonce):
                raise Reject(f'quote: nonce {nonce.hex()} is not ours: a stale or replayed quote')
            print('quote: nonce matches')
            if [i for alg, i in selected] != list(PCRS) or any(alg != 0x000B for alg, _ in selected):
                raise Reject(f'quote: selects {selected}, expected SHA-256 PCRs {PCRS}')
            if hashlib.sha256(b''.join(pcr[i] for i in PCRS)).digest() != digest:
                raise Reject('event log: replay does not match the quoted PCR digest (log tampered or incomplete)')
            print(f'pcrs: event log replays to the quoted PCRs {",".join(map(str, PCRS))}')
        else:
            if a.nonce:
                raise Reject('quote: none in the evidence, a nonce was expected')
            for i in PCRS:
                if readback.get(i) != pcr[i]:
                    raise Reject(f'event log: replay of PCR {i} differs from the value read back')
            print('pcrs: event log replays to the PCRs read back (no quote: not signed)')
        golden = {}
        for spec in a.image:
            name, _, path = spec.partition('=')
            golden[name] = hashlib.sha256(open(path, 'rb').read()).digest()
        for index, etype, digest, desc in events:
            name = component(desc)
            if name is None:
                continue
            if name not in golden:
                print(f'component {desc}: measured {digest.hex()[:16]}..., no golden value: UNCHECKED')
            elif golden[name] == digest:
                print(f'component {desc}: matches golden {name}: OK')
            else:
                print(f'component {desc}: measured {digest.hex()[:16]}... differs from golden '
                      f'{name} {golden[name].hex()[:16]}...: MISMATCH')
                ok = False
        if not ok:
            raise Reject('a measured image differs from its golden value')
    except Reject as e:
        print(f'REJECTED: {e}')
        return 1
    print('VERIFIED')
    return 0


if __name__ == '__main__':
    sys.exit(main())
