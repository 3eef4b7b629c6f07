# Small wrappers so every library and test is declared the same way
# (the absl_cc_library idea). cse_foo gets the alias cse::foo.
function(cse_cc_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_DEPS})
  string(REGEX REPLACE "^cse_" "" short ${name})
  add_library(cse::${short} ALIAS ${name})
endfunction()

# cse_cc_test(name SRCS ... DEPS ... LABELS unit|integration
#             [PROPERTIES TIMEOUT 900 RESOURCE_LOCK x ...])
# PROPERTIES go to every discovered test case.
function(cse_cc_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS;PROPERTIES" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${ARG_LABELS}" ${ARG_PROPERTIES}
    DISCOVERY_TIMEOUT 60)
endfunction()
