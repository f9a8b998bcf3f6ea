-- Prosody for compose.yaml: the Docker twin of the config `./actors up` writes to .state/prosody/prosody.cfg.lua
-- (keep the two alike). Mounted at /etc/prosody/prosody.cfg.lua of the `xmpp` service, which runs it as the
-- image's `prosody` user; the `xmpp-init` service creates the certificate and the accounts first.
-- Only the modules a client needs, and mod_limits (docs/security.md).
data_path = "/var/lib/prosody"
pidfile = "/var/lib/prosody/prosody.pid"
certificates = "/etc/prosody/certs"
log = { info = "*console" }
-- Lua 5.4's generational garbage collector instead of Prosody 0.12's default (incremental, pause 105 %, i.e. collecting
-- almost all the time): measured ~40 % less Prosody CPU per message here (docs/xmpp.md, Performance). A Prosody on
-- an older Lua logs "Failed to apply GC configuration" and keeps its default.
gc = { mode = "generational" }
-- Nagle's algorithm off on every client connection (Prosody 0.12 leaves it on): with it, a small stanza such as a
-- receipt waits for the peer's ACK of the previous one. Measured here: XMPP writes with receipts 2,675 -> 4,630/s
-- (docs/performance.md, "Idle thread-pool workers and Nagle").
network_settings = { nagle = false }
interfaces = { "*" }
c2s_ports = { 5222 }
c2s_direct_tls_ports = {}
s2s_ports = {}
s2s_direct_tls_ports = {}
http_ports = {}
https_ports = {}
component_ports = {}
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "posix", "smacks", "carbons", "offline", "groups", "limits" }
modules_disabled = { "s2s" }
-- Each client's input is read at most at 32 kB/s (about 150 chat commands a second), so one account cannot flood
-- Prosody or, through it, the silos; the silos are exempt, their receipts and replies are the system's output. Add
-- silo accounts here when you add silos to compose.yaml, and the account of an XmppStoreWriter program that writes
-- faster (docs/security.md).
limits = { c2s = { rate = "32kb/s", burst = "4s" } }
unlimited_jids = { "silo-1@localhost", "silo-2@localhost", "silo-3@localhost" }
authentication = "internal_hashed"
storage = "internal"
-- STARTTLS with the self-signed certificate xmpp-init generated into certs/, then SCRAM-SHA-1.
c2s_require_encryption = true
allow_unencrypted_plain_auth = false
ssl = { certificate = "/etc/prosody/certs/localhost.crt", key = "/etc/prosody/certs/localhost.key" }
-- A dropped resumable session is kept this long before Prosody says unavailable (default 600 s). Silos ask for no
-- resumption, so Prosody ends a crashed silo's session at once and watchers see it unavailable within milliseconds
-- (docs/reliability.md); this window is for other clients (people, XmppStoreWriter programs), kept short so that
-- one of them that dies does not look online for ten minutes.
smacks_hibernation_time = 5
-- The silos and the gateway are each other's contacts (presence tells `where` which JID hosts a silo; `status` lists the gateway).
groups_file = "/etc/prosody/actors/groups.txt"
VirtualHost "localhost"
