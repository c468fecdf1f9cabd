# Run at every build (cmake -P): writes OUT, a header naming the git commit
# the sources are at, its date and whether tracked files differ from it, and
# touches it only when that changed, so an unchanged tree rebuilds nothing.
#   -DSRC=source dir -DOUT=header -DVERSION=x.y.z [-DCOMMIT=given]
# COMMIT (the MIG_GIT_COMMIT cache variable) stands in when the sources are
# not a git checkout, as in a release tarball.
set(commit "${COMMIT}")
set(dirty 0)
set(date "")
find_program(GIT git)
if(GIT AND EXISTS "${SRC}/.git")
  execute_process(COMMAND "${GIT}" -C "${SRC}" rev-parse --short=12 HEAD
    OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND head)
    set(commit "${head}")
    execute_process(COMMAND "${GIT}" -C "${SRC}" log -1 --format=%cd --date=short
      OUTPUT_VARIABLE date OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND "${GIT}" -C "${SRC}" status --porcelain --untracked-files=no
      OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND NOT changes STREQUAL "")
      set(dirty 1)
    endif()
  endif()
endif()
if(commit STREQUAL "")
  set(commit "unknown")
endif()
set(text "// Written by cmake/build_info.cmake at build time.\n#pragma once\n#define MIG_VERSION \"${VERSION}\"\n#define MIG_GIT_COMMIT \"${commit}\"\n#define MIG_GIT_DIRTY ${dirty}\n#define MIG_GIT_DATE \"${date}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
