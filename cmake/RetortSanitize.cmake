# Sanitizer and fuzzing instrumentation as an interface target, linked PUBLIC by retort_core
# so every library, program and test that links the engine is built the same way.
#
#   -DRETORT_SANITIZE=ON   AddressSanitizer + UndefinedBehaviorSanitizer (GCC or clang); run ctest as usual.
#   -DRETORT_FUZZ=ON       clang only: the engine with libFuzzer coverage + ASan + UBSan, and the
#                          harnesses in tests/fuzz/ (nothing else is built).
add_library(retort_instrumentation INTERFACE)
add_library(Retort::Instrumentation ALIAS retort_instrumentation)

set(_retort_san "")
if(RETORT_SANITIZE OR RETORT_FUZZ)
  set(_retort_san "-fsanitize=address,undefined")
  target_compile_options(retort_instrumentation INTERFACE
    ${_retort_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(retort_instrumentation INTERFACE ${_retort_san})
endif()
if(RETORT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "RETORT_FUZZ=ON needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  target_compile_options(retort_instrumentation INTERFACE -fsanitize=fuzzer-no-link)
endif()
