# retort_add_test(NAME SOURCES... [LIBS ...] [GUI])
# One ctest per executable; offscreen platform and the test-data path set for every test.
# The tests' own code is built without optimisation and on one precompiled header (QtTest and
# the Qt modules they use): the engine and the views they test keep the project's build type.
# On two cores this halves the suite's build; the tests spend their time in the engine.
# Two header targets, one per kind of test, because QtTest's headers depend on whether the
# test links QtWidgets (QT_WIDGETS_LIB) and a precompiled header is used only by targets
# compiled with the same definitions (GCC warns, -Winvalid-pch, and compiles without it).
set(RETORT_TEST_FLAGS -O0)
function(_retort_test_settings target)
  target_compile_definitions(${target} PRIVATE
    RETORT_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
    RETORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RETORT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  target_compile_options(${target} PRIVATE ${RETORT_TEST_FLAGS})
endfunction()
function(_retort_test_header kind)
  set(anchor retort_test_header_${kind})
  if(TARGET ${anchor})
    return()
  endif()
  file(WRITE ${PROJECT_BINARY_DIR}/${anchor}.cpp "// the translation unit that builds the tests' precompiled header\n")
  add_library(${anchor} OBJECT ${PROJECT_BINARY_DIR}/${anchor}.cpp)
  set(headers <QTest> <QSignalSpy> <QtCore> <QtSql>)
  if(kind STREQUAL "ui")
    target_link_libraries(${anchor} PRIVATE Qt6::Test Retort::Ui Qt6::Widgets)
    list(APPEND headers <QtWidgets>)
  else()
    target_link_libraries(${anchor} PRIVATE Qt6::Test Retort::Core)
  endif()
  _retort_test_settings(${anchor})
  target_precompile_headers(${anchor} PRIVATE ${headers})
endfunction()

function(retort_add_test name)
  cmake_parse_arguments(ARG "GUI" "" "SOURCES;LIBS;ENV;FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  _retort_test_settings(${name})
  if("Retort::Ui" IN_LIST ARG_LIBS)
    set(kind ui)
  else()
    set(kind core)
  endif()
  _retort_test_header(${kind})
  target_precompile_headers(${name} REUSE_FROM retort_test_header_${kind})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LC_ALL=C.UTF-8;${ARG_ENV}"
    TIMEOUT 600)
  if(ARG_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
endfunction()
