#!/usr/bin/zsh -f
# zsh_complete.zsh FPATH_DIR LOG LINE: types LINE and a TAB into an
# interactive zsh on a pseudo-terminal, with compinit loading _mig from
# FPATH_DIR, and appends every match the completion offered to LOG.
zmodload zsh/zpty || exit 2
dir=$1 log=$2 line=$3
: >$log
zpty z zsh -f -i || exit 2
zpty -w z "PS1='> '; fpath=($dir \$fpath); autoload -U compinit; compinit -u -d $log.dump"
# Every compadd also writes its matches (-O) to the log.
zpty -w z "compadd() { local -a __m; builtin compadd -O __m \"\$@\"; print -rl -- \$__m >>$log; builtin compadd \"\$@\"; }"
zpty -w -n z "$line"$'\t'
# Wait for the completion to have offered something (or a while), then
# clear the line and wait for a marker the shell prints (not the echo).
# Keys typed while a slow completion still runs can be lost, so the marker
# is asked for again every few seconds, for 60 seconds at most.
for i in {1..30}; do [[ -s $log ]] && break; sleep 0.1; done
sleep 0.5
out=
for i in {1..600}; do
  (( i % 50 == 1 )) && zpty -w z $'\C-u'"print M''ARK"
  if zpty -r -t z chunk; then
    out+=$chunk
    [[ $out == *MARK* ]] && break
  else
    sleep 0.1
  fi
done
zpty -d z
[[ $out == *MARK* ]] || exit 2
