# Run after mig is built (cmake -P): writes OUT/man/*.1.gz with `mig __man`
# and OUT/completions/{mig.bash,_mig,mig.fish} with `mig completion SHELL`.
#   -DMIG=the mig binary -DOUT=directory -DGZIP=gzip
file(REMOVE_RECURSE "${OUT}/man" "${OUT}/completions")
file(MAKE_DIRECTORY "${OUT}/man" "${OUT}/completions")
execute_process(COMMAND "${MIG}" __man "${OUT}/man" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mig __man failed: ${rc}")
endif()
file(GLOB pages "${OUT}/man/*.1")
foreach(page ${pages})
  # -n: no name or time stamp in the archive, so that builds are reproducible.
  execute_process(COMMAND "${GZIP}" -9nf "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed: ${rc}")
  endif()
endforeach()
foreach(pair "bash;mig.bash" "zsh;_mig" "fish;mig.fish")
  list(GET pair 0 shell)
  list(GET pair 1 file)
  execute_process(COMMAND "${MIG}" completion ${shell} OUTPUT_FILE "${OUT}/completions/${file}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mig completion ${shell} failed: ${rc}")
  endif()
endforeach()
file(TOUCH "${OUT}/stamp")
