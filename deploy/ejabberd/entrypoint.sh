#!/bin/sh
# One ejabberd node of compose.yaml, as the ejabberd user. The Erlang cookie comes from the xmpp-secrets volume
# (xmpp-init generates it once), so both nodes and xmpp-init's ejabberdctl share it. SIGTERM (docker stop) becomes
# `ejabberdctl stop`, a clean Mnesia shutdown; the node rejoins the cluster by itself on its next start.
set -e
ctl() { ejabberdctl --config /etc/actors/ejabberd.yml --ctl-config /etc/actors/ejabberdctl.cfg "$@"; }
until [ -s /xmpp-secrets/erlang.cookie ]; do sleep 0.5; done
(umask 077; cat /xmpp-secrets/erlang.cookie >"$HOME/.erlang.cookie.new"); chmod 400 "$HOME/.erlang.cookie.new"
mv -f "$HOME/.erlang.cookie.new" "$HOME/.erlang.cookie"
ctl foreground &
pid=$!
trap 'ctl stop >/dev/null 2>&1 || kill -TERM $pid' TERM INT
# wait returns early when a trapped signal arrives; wait again for the VM to finish its stop.
wait $pid || wait $pid
