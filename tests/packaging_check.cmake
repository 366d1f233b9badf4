# Installs the build into a scratch prefix and checks the desktop integration is there.
file(REMOVE_RECURSE "${DEST}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD}" --prefix "${DEST}/usr" RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
foreach(f bin/retort bin/retort-workbench share/applications/org.retort.Retort.desktop
          share/metainfo/org.retort.Retort.metainfo.xml share/icons/hicolor/scalable/apps/org.retort.Retort.svg
          share/man/man1/retort.1.gz share/bash-completion/completions/retort
          share/retort/driver/retort_driver.py)
  if(NOT EXISTS "${DEST}/usr/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
# The installed retort finds the installed workbench and answers headless commands.
execute_process(COMMAND "${DEST}/usr/bin/retort" --version OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^retort [0-9.]+\nQt [0-9.]+ [(]built with [0-9.]+[)]\nKSyntaxHighlighting ")
  message(FATAL_ERROR "installed retort does not run: ${out}")
endif()
find_program(APPSTREAMCLI appstreamcli)
if(APPSTREAMCLI)
  execute_process(COMMAND ${APPSTREAMCLI} validate --no-net "${DEST}/usr/share/metainfo/org.retort.Retort.metainfo.xml"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "AppStream metadata does not validate:\n${out}")
  endif()
endif()
file(REMOVE_RECURSE "${DEST}")
