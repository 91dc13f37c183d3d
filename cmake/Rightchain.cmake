# Build conventions shared by every module.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

# Assertions stay on in every build type (TIGER_STYLE): strip NDEBUG from release flags.
foreach(flags_var CMAKE_CXX_FLAGS_RELEASE CMAKE_CXX_FLAGS_RELWITHDEBINFO CMAKE_CXX_FLAGS_MINSIZEREL)
  string(REPLACE "-DNDEBUG" "" ${flags_var} "${${flags_var}}")
endforeach()

add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12's -O2 flow analysis reports false positives inside libstdc++ (std::optional<std::vector>,
  # lexicographic compare of vectors); they drown real warnings.
  add_compile_options(-Wno-maybe-uninitialized -Wno-stringop-overread -Wno-array-bounds)
endif()

if(RIGHTCHAIN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(RIGHTCHAIN_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

find_package(PkgConfig REQUIRED)
find_package(GTest REQUIRED)
include(GoogleTest)

set(RIGHTCHAIN_SOURCE_ROOT "${PROJECT_SOURCE_DIR}/src")
# The folder of shared test vectors, when present beside the checkout (tests report clearly if absent).
set(RIGHTCHAIN_VECTORS_DIR "${PROJECT_SOURCE_DIR}/../shared/vectors" CACHE PATH "Folder of public test vectors")

# rightchain_library(NAME SOURCES a.cc b.cc DEPENDS other_lib ...)
# Creates static library rightchain_NAME; headers are included as "NAME/header.h" from src/.
function(rightchain_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(rightchain_${name} STATIC ${ARG_SOURCES})
  target_include_directories(rightchain_${name} PUBLIC "${RIGHTCHAIN_SOURCE_ROOT}")
  target_link_libraries(rightchain_${name} PUBLIC ${ARG_DEPENDS})
endfunction()

# rightchain_test(NAME SOURCES a_test.cc DEPENDS lib ...)
# A GoogleTest binary NAME registered with CTest; every test case is its own CTest entry.
# SERIAL: the test measures time against a figure it took itself (read_flood_test): ctest runs it
# alone, so that another suite sharing the cores does not decide its outcome.
function(rightchain_test name)
  cmake_parse_arguments(ARG "SERIAL" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    RIGHTCHAIN_VECTORS_DIR="${RIGHTCHAIN_VECTORS_DIR}"
    RIGHTCHAIN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(ARG_SERIAL)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${name}" RUN_SERIAL TRUE)
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${name}")
  endif()
endfunction()
