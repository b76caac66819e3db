#!/usr/bin/env python3
"""The official Alibaba Cloud Python SDK as a measured peer of `benches/src/bin/e2e.rs`.

It makes the e2e benchmark's call with the official SDK (`alibabacloud_vpc20160428` over
`alibabacloud_tea_openapi`): `ModifyVpnConnectionAttribute`, every field of both tunnels of the
signing vectors' dual-tunnel request, the request models built anew on each call, validated
and signed (ACS3-HMAC-SHA256, the SDK's default) by the SDK, sent over plain HTTP to the given
responder, the answer decoded into the SDK's response model. The access key is the benches'
(`alicloud_benches::credentials()`).

CPU per call is this process's user + system time (`getrusage(RUSAGE_SELF)`) around a batch of
calls, divided by the calls. The responder runs in another process, so its CPU is not counted,
as it is not counted for the Rust figures.

Three ways to run it:

    peer.py --versions
        prints the SDK's package versions as JSON; exits 3 when the SDK is not importable
        (how e2e decides whether the peer can run).
    peer.py --endpoint 127.0.0.1:PORT --calls N --rounds R [--warmup W]
        W calls, then R batches of N calls; prints one JSON document with the figure of each
        round and their median.
    peer.py --endpoint 127.0.0.1:PORT --serve
        what e2e runs: one call (which must succeed), then a line `{"ready": ...}`; then, for
        each line `N` read on stdin, a batch of N calls and one JSON line
        `{"calls": N, "cpu_us": ..., "wall_us": ...}` (per call). Ends at end of input.

The SDK sends the request through `requests` with one pooled keep-alive connection per host,
so a batch, like the Rust clients' batches, reuses one connection.
"""

import argparse
import json
import resource
import statistics
import sys
import time

ACCESS_KEY_ID = "testAccessKeyId"
ACCESS_KEY_SECRET = "testAccessKeySecret"
PACKAGES = (
    "alibabacloud_vpc20160428",
    "alibabacloud_tea_openapi",
    "darabonba_core",
    "alibabacloud_tea",
    "requests",
)


def versions():
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass  # not every SDK generation has every package
    return out


def import_sdk():
    """The SDK's modules, or exit 3 with a message saying how to install them."""
    try:
        from alibabacloud_vpc20160428 import models
        from alibabacloud_vpc20160428.client import Client

        try:
            # Since alibabacloud_tea_openapi 0.4 (on darabonba-core).
            from alibabacloud_tea_openapi import utils_models as openapi_models
            from darabonba.runtime import RuntimeOptions
        except ImportError:
            # alibabacloud_tea_openapi 0.3 and before (on alibabacloud-tea).
            from alibabacloud_tea_openapi import models as openapi_models
            from alibabacloud_tea_util.models import RuntimeOptions
    except ImportError as e:
        sys.stderr.write(
            f"peer.py: the official Python SDK is not importable ({e}); install it with "
            "`python3 -m venv .venv && .venv/bin/pip install alibabacloud_vpc20160428` and "
            "pass that interpreter (`--python .venv/bin/python`)\n"
        )
        sys.exit(3)
    return openapi_models, models, Client, RuntimeOptions


def make_client(endpoint):
    openapi_models, _, Client, _ = import_sdk()
    config = openapi_models.Config(
        access_key_id=ACCESS_KEY_ID,
        access_key_secret=ACCESS_KEY_SECRET,
        region_id="cn-shanghai",
        endpoint=endpoint,
        protocol="http",
    )
    return Client(config)


def make_call(client):
    """A function making one full call, with the request built anew each time."""
    _, m, _, RuntimeOptions = import_sdk()
    Tunnel = m.ModifyVpnConnectionAttributeRequestTunnelOptionsSpecification
    Bgp = m.ModifyVpnConnectionAttributeRequestTunnelOptionsSpecificationTunnelBgpConfig
    Ike = m.ModifyVpnConnectionAttributeRequestTunnelOptionsSpecificationTunnelIkeConfig
    Ipsec = m.ModifyVpnConnectionAttributeRequestTunnelOptionsSpecificationTunnelIpsecConfig
    Request = m.ModifyVpnConnectionAttributeRequest

    def call():
        # The same values as `alicloud_benches::dual_tunnel_options()` and e2e's `full_call`.
        master = Tunnel(
            tunnel_id="tun-opsqc4d97wni27****",
            customer_gateway_id="cgw-p0wy363lucf1uyae8****",
            role="master",
            enable_dpd=True,
            enable_nat_traversal=True,
            tunnel_bgp_config=Bgp(
                local_asn=65530,
                local_bgp_ip="169.254.10.1",
                tunnel_cidr="169.254.10.0/30",
            ),
            tunnel_ike_config=Ike(
                ike_auth_alg="sha256",
                ike_enc_alg="aes256",
                ike_lifetime=86400,
                ike_mode="main",
                ike_pfs="group14",
                ike_version="ikev2",
                local_id="47.21.XX.XX",
                psk="Ab1~!`@#$%^&*()_-+={}[]|;:,.<>/?",
                remote_id="47.42.XX.XX",
            ),
            tunnel_ipsec_config=Ipsec(
                ipsec_auth_alg="sha256",
                ipsec_enc_alg="aes256",
                ipsec_lifetime=3600,
                ipsec_pfs="group14",
            ),
        )
        slave = Tunnel(
            tunnel_id="tun-2xmpl5d97wni27****",
            role="slave",
            enable_dpd=False,
            enable_nat_traversal=True,
            tunnel_bgp_config=Bgp(
                local_asn=4294967295,
                local_bgp_ip="169.254.20.1",
                tunnel_cidr="169.254.20.0/30",
            ),
            tunnel_ike_config=Ike(
                ike_auth_alg="sha1",
                ike_enc_alg="aes",
                ike_lifetime=0,
                ike_mode="aggressive",
                ike_pfs="group2",
                ike_version="ikev2",
                local_id="vpn.example.com",
                psk="secondKey2",
                remote_id="dc1.example.com",
            ),
            tunnel_ipsec_config=Ipsec(
                ipsec_auth_alg="md5",
                ipsec_enc_alg="3des",
                ipsec_lifetime=0,
                ipsec_pfs="disabled",
            ),
        )
        request = Request(
            region_id="cn-shanghai",
            vpn_connection_id="vco-bp1bbi27hojx80nck****",
            client_token="5c0c6a1e-8b1f-4b0e-9d7e-2f1a3b4c5d6e",
            name="vpn-dual",
            local_subnet="10.1.1.0/24,10.1.2.0/24",
            remote_subnet="10.2.1.0/24,10.2.2.0/24",
            effect_immediately=True,
            auto_config_route=True,
            enable_tunnels_bgp=True,
            tunnel_options_specification=[master, slave],
        )
        # What `modify_vpn_connection_attribute` does, with the runtime options made here:
        # validation, encoding, signing, sending, decoding. A non-2xx answer raises.
        response = client.modify_vpn_connection_attribute_with_options(request, RuntimeOptions())
        if response.status_code != 200 or not response.body.request_id:
            raise SystemExit(
                f"peer.py: unexpected answer: status {response.status_code}, "
                f"RequestId {response.body.request_id!r}"
            )

    return call


def cpu_us():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1e6


def batch(call, n):
    """CPU and wall time per call, in µs, over `n` calls (n ≥ 1)."""
    cpu0, wall0 = cpu_us(), time.perf_counter()
    for _ in range(n):
        call()
    return (cpu_us() - cpu0) / n, (time.perf_counter() - wall0) * 1e6 / n


def emit(doc):
    sys.stdout.write(json.dumps(doc) + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", action="store_true", help="print versions and exit")
    parser.add_argument("--endpoint", help="the responder, host:port (plain HTTP)")
    parser.add_argument("--serve", action="store_true", help="batch sizes on stdin")
    parser.add_argument("--calls", type=int, default=1000, help="calls per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=200, help="calls before the rounds")
    args = parser.parse_args()
    if args.versions:
        import_sdk()
        emit(versions())
        return
    if not args.endpoint:
        parser.error("--endpoint host:port is required (or --versions)")
    call = make_call(make_client(args.endpoint))
    # The first call opens the connection and proves the responder accepts the request.
    call()
    if args.serve:
        emit({"ready": versions()})
        for line in sys.stdin:
            n = int(line)
            cpu, wall = batch(call, n)
            emit({"calls": n, "cpu_us": cpu, "wall_us": wall})
        return
    if args.calls < 1 or args.rounds < 1:
        parser.error("--calls and --rounds must be at least 1")
    if args.warmup > 0:
        batch(call, args.warmup)
    rounds = [batch(call, args.calls) for _ in range(args.rounds)]
    cpu = [c for c, _ in rounds]
    emit(
        {
            "what": "official Python SDK: CPU per ModifyVpnConnectionAttribute call (RUSAGE_SELF)",
            "versions": versions(),
            "calls": args.calls,
            "rounds": args.rounds,
            "cpu_us": cpu,
            "wall_us": [w for _, w in rounds],
            "median_cpu_us": statistics.median(cpu),
        }
    )


if __name__ == "__main__":
    main()
