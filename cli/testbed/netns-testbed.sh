#!/usr/bin/env bash
# Multi-site testbed on one machine: every site is a network namespace joined to a bridge namespace
# by a veth pair, so peers of different sites talk over real (virtual) links that nft rules can cut.
# Needs root, iproute2 and nftables. Only addresses inside these namespaces are used.
#
#   netns-testbed.sh create RUN SITE...        namespaces <RUN>-br and <RUN>-<SITE>; site i (1-based,
#                                              in argument order) gets 10.231.i.1/16 on its veth
#   netns-testbed.sh addr RUN SITE             prints the site's address
#   netns-testbed.sh cut RUN "A B" "C"         drops all traffic between the two groups of sites
#   netns-testbed.sh heal RUN                  removes every cut
#   netns-testbed.sh exec RUN SITE CMD...      runs CMD inside the site's namespace
#   netns-testbed.sh destroy RUN               kills every process inside and deletes the namespaces
set -euo pipefail

die() { echo "netns-testbed: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: $0 create|addr|cut|heal|exec|destroy RUN ..."
cmd=$1 run=$2
shift 2
sites_file=/run/starling-testbed/$run.sites   # site order, so a site's index (and address) is stable

ns() { echo "$run-$1"; }
index_of() {
    local i=1 s
    [ -f "$sites_file" ] || die "no testbed named $run"
    for s in $(cat "$sites_file"); do
        if [ "$s" = "$1" ]; then echo $i; return; fi
        i=$((i + 1))
    done
    die "no site $1 in testbed $run"
}
addr_of() { echo "10.231.$(index_of "$1").1"; }

# Drops everything site $1 sends to or receives from site $2.
drop_between() {
    local other="10.231.$(index_of "$2").0/24"
    ip netns exec "$(ns "$1")" nft add rule inet testbed output ip daddr "$other" drop
    ip netns exec "$(ns "$1")" nft add rule inet testbed input ip saddr "$other" drop
}

destroy() {
    local n
    for n in $(ip netns list | awk '{print $1}' | grep -E "^$1-" || true); do
        ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$n" 2>/dev/null || true
    done
    rm -f "/run/starling-testbed/$1.sites"
}

case $cmd in
create)
    [ $# -ge 1 ] || die "create needs at least one site"
    [ ${#run} -le 8 ] || die "run name must be at most 8 characters: $run"
    destroy "$run"
    mkdir -p /run/starling-testbed
    ip netns add "$(ns br)"
    ip -n "$(ns br)" link add br0 type bridge
    ip -n "$(ns br)" link set br0 up
    echo "$*" > "$sites_file"
    i=1
    for site in "$@"; do
        [[ $site =~ ^[a-z0-9]([-a-z0-9]{0,20})$ ]] || die "bad site name: $site"
        ip netns add "$(ns "$site")"
        ip link add "s$i" netns "$(ns "$site")" type veth peer name "b$i" netns "$(ns br)"
        ip -n "$(ns br)" link set "b$i" master br0
        ip -n "$(ns br)" link set "b$i" up
        ip -n "$(ns "$site")" addr add "10.231.$i.1/16" dev "s$i"
        ip -n "$(ns "$site")" link set "s$i" up
        ip -n "$(ns "$site")" link set lo up
        ip netns exec "$(ns "$site")" nft -f - <<EOF
table inet testbed {
    chain input { type filter hook input priority 0; }
    chain output { type filter hook output priority 0; }
}
EOF
        i=$((i + 1))
    done
    ;;
addr)
    addr_of "$1"
    ;;
cut)
    [ $# -eq 2 ] || die "cut needs two quoted groups of sites"
    group_a=$1 group_b=$2
    for a in $group_a; do
        for b in $group_b; do
            drop_between "$a" "$b"
            drop_between "$b" "$a"
        done
    done
    ;;
heal)
    for site in $(cat "$sites_file"); do
        ip netns exec "$(ns "$site")" nft flush table inet testbed
    done
    ;;
exec)
    site=$1
    shift
    index_of "$site" > /dev/null
    exec ip netns exec "$(ns "$site")" "$@"
    ;;
destroy)
    destroy "$run"
    ;;
*)
    die "unknown command $cmd"
    ;;
esac
