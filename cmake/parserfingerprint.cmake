# cmake -DOUT=<header> -DSOURCES=<a;b;...> -P parserfingerprint.cmake
# RETORT_PARSER_FINGERPRINT: a hash of the sources that decide what a revision file's parse
# says. The parse cache keys its files by it, so a build whose parser reads a file
# differently never takes a fact an older parser cached.
set(_all "")
foreach(_f IN LISTS SOURCES)
  file(SHA256 "${_f}" _h)
  string(APPEND _all "${_h}")
endforeach()
string(SHA256 _fp "${_all}")
string(SUBSTRING "${_fp}" 0 32 _fp)
set(_text "#pragma once\n#define RETORT_PARSER_FINGERPRINT \"${_fp}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" _old)
endif()
if(NOT _old STREQUAL _text)
  file(WRITE "${OUT}" "${_text}")
endif()
