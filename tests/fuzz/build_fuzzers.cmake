# Run by ctest (fixture "fuzzers"): configures and builds the harnesses in their own clang
# build tree beside the main one, so a GCC build of the product can still fuzz its readers.
#   cmake -DSOURCE=... -DBINARY=... -DCLANGXX=... [-DLAUNCHER=ccache] -P build_fuzzers.cmake
set(args -S ${SOURCE} -B ${BINARY} -G Ninja -DCMAKE_CXX_COMPILER=${CLANGXX} -DRETORT_FUZZ=ON
         -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if(LAUNCHER)
  list(APPEND args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} ${args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the fuzz build failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --target fuzz -j2 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the fuzzers failed")
endif()
foreach(name revisionfile ini toml url dpattern parsecache)
  file(MAKE_DIRECTORY ${BINARY}/corpus/${name} ${BINARY}/artifacts/${name})
endforeach()
