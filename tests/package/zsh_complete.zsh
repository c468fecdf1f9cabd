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
sleep 1
# Clear the line, then wait for a marker the shell prints (not the echo).
zpty -w z $'\C-u'"print M''ARK"
zpty -r -m z out '*MARK*' || exit 2
zpty -d z
