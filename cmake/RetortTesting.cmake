# retort_add_test(NAME SOURCES... [LIBS ...] [GUI])
# One ctest per executable; offscreen platform and the test-data path set for every test.
function(retort_add_test name)
  cmake_parse_arguments(ARG "GUI" "" "SOURCES;LIBS;ENV;FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    RETORT_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
    RETORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RETORT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LC_ALL=C.UTF-8;${ARG_ENV}"
    TIMEOUT 600)
  if(ARG_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
endfunction()
