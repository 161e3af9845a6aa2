#!/usr/bin/env bash
# Makes a local Dovecot IMAP server available for the mailbox-sync tests and prints the settings
# they need (TEST_IMAP_HOST=…, TEST_IMAP_PORT=…). Installs Debian's dovecot-imapd when missing,
# writes its OWN configuration under $DOVECOT_DIR (never /etc/dovecot), and listens on loopback
# only, on a fixed non-standard port, with plaintext logins (loopback only, so no TLS).
#
# Users: rep1@example.test, rep2@example.test, info@example.test (password "tradepane"), and any
# address at sandbox.test (password "sandbox"), each its own Maildir: tests take a fresh random
# sandbox address so parallel runs never share a mailbox. Every mailbox has INBOX and a Sent
# folder marked \Sent (special-use). Safe to run again: restarts with the current config.
#
# Shared mailboxes: rep1 and rep2 may open another mailbox (info@…) with their OWN password by
# logging in as "info@…*rep1@example.test" (Dovecot master users, separator "*") — the IMAP form
# of a shared mailbox that reps read, like Microsoft 365's "rep@domain\info@domain" IMAP login.
set -euo pipefail

DOVECOT_DIR="${DOVECOT_DIR:-/tmp/tradepane-dovecot}"
PORT="${TEST_IMAP_PORT:-10143}"

if ! command -v dovecot >/dev/null 2>&1 || [ ! -e /usr/lib/dovecot/imap ]; then
  echo "dovecot.sh: installing Debian's dovecot-imapd" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >&2
fi

mkdir -p "$DOVECOT_DIR"/{run,state,mail}
# Mail processes run as nobody; the Maildirs must be theirs.
chown nobody:nogroup "$DOVECOT_DIR/mail"

cat >"$DOVECOT_DIR/users" <<USERS
rep1@example.test:{PLAIN}tradepane
rep2@example.test:{PLAIN}tradepane
info@example.test:{PLAIN}tradepane
USERS
chown root:dovecot "$DOVECOT_DIR/users" 2>/dev/null || true
chmod 0640 "$DOVECOT_DIR/users"

# The reps who may open shared mailboxes (master users), with their own passwords.
cat >"$DOVECOT_DIR/masters" <<MASTERS
rep1@example.test:{PLAIN}tradepane
rep2@example.test:{PLAIN}tradepane
MASTERS
chown root:dovecot "$DOVECOT_DIR/masters" 2>/dev/null || true
chmod 0640 "$DOVECOT_DIR/masters"

cat >"$DOVECOT_DIR/dovecot.conf" <<CONF
# Written by .ci/dovecot.sh for tradepane's tests; not a production configuration.
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_DIR/dovecot.log
instance_name = tradepane-dovecot
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_uid = nobody
mail_gid = nogroup
mail_location = maildir:$DOVECOT_DIR/mail/%u
mail_max_userip_connections = 100
# The tests' throwaway mail: no fsync per delivered message (the bench appends 50,000).
mail_fsync = never

auth_master_user_separator = *
passdb {
  driver = passwd-file
  master = yes
  args = scheme=PLAIN username_format=%u $DOVECOT_DIR/masters
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DOVECOT_DIR/users
}
passdb {
  driver = static
  args = password=sandbox
  username_filter = *@sandbox.test
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$DOVECOT_DIR/mail/%u
}

namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service auth {
  unix_listener auth-userdb {
    mode = 0666
  }
}
CONF

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
wait_listening() {
  for _ in $(seq 1 150); do
    listening && return 0
    sleep 0.1
  done
  return 1
}

if [ -e "$DOVECOT_DIR/run/master.pid" ] && kill -0 "$(cat "$DOVECOT_DIR/run/master.pid")" 2>/dev/null; then
  dovecot -c "$DOVECOT_DIR/dovecot.conf" reload >&2 || true
else
  dovecot -c "$DOVECOT_DIR/dovecot.conf" >&2 || true
fi

# Wait until it answers (at most ~15 s: a busy machine). A previous run killed hard (a session's
# processes are ended before CI) can leave a stale pid file or orphans of its own: clear them and
# start once more.
if ! wait_listening; then
  pkill -f -- "-c $DOVECOT_DIR/dovecot.conf" 2>/dev/null || true
  sleep 1
  rm -f "$DOVECOT_DIR/run/master.pid"
  dovecot -c "$DOVECOT_DIR/dovecot.conf" >&2 || true
  wait_listening || {
    echo "dovecot.sh: Dovecot did not start listening on 127.0.0.1:$PORT; see $DOVECOT_DIR/dovecot.log" >&2
    exit 1
  }
fi
echo "TEST_IMAP_HOST=127.0.0.1"
echo "TEST_IMAP_PORT=$PORT"
