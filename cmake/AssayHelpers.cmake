# One helper per target kind. Each parses its arguments strictly, creates an assay::name alias
# and applies warnings, defines and sanitizers per target (nothing directory-wide).

function(assay_apply_target_defaults target)
    target_compile_features(${target} PUBLIC cxx_std_20)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_FOREACH
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_CAST_FROM_BYTEARRAY)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wshadow -Wold-style-cast -Wnon-virtual-dtor -Wno-missing-field-initializers)
    if(ASSAY_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(ASSAY_SANITIZE)
        target_compile_options(${target} PRIVATE
            -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
    if(ASSAY_TSAN)
        target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=thread)
    endif()
    if(ASSAY_FUZZ)
        # Coverage for the fuzzer everywhere, ASan and UBSan so a bad read is a crash.
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
            -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

function(assay_check_arguments prefix)
    if(${prefix}_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "unknown arguments: ${${prefix}_UNPARSED_ARGUMENTS}")
    endif()
endfunction()

# assay_add_library(name SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
function(assay_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
    assay_check_arguments(ARG)
    add_library(assay_${name} STATIC ${ARG_SOURCES})
    add_library(assay::${name} ALIAS assay_${name})
    target_include_directories(assay_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(assay_${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
    assay_apply_target_defaults(assay_${name})
endfunction()

# assay_add_executable(name OUTPUT_NAME out SOURCES ... [LIBS ...])
function(assay_add_executable name)
    cmake_parse_arguments(ARG "" "OUTPUT_NAME" "SOURCES;LIBS" ${ARGN})
    assay_check_arguments(ARG)
    add_executable(${name} ${ARG_SOURCES})
    if(ARG_OUTPUT_NAME)
        set_target_properties(${name} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
    endif()
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
    target_link_libraries(${name} PRIVATE ${ARG_LIBS})
    assay_apply_target_defaults(${name})
endfunction()

# assay_add_test(name SOURCES ... [LIBS ...] [GUI] [TIMEOUT seconds] [LABELS ...])
# One small Qt Test executable per unit, registered with CTest. GUI tests run offscreen.
function(assay_add_test name)
    cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    assay_check_arguments(ARG)
    set(target tst_${name})
    add_executable(${target} ${ARG_SOURCES})
    set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    target_link_libraries(${target} PRIVATE Qt6::Test assay::testsupport ${ARG_LIBS})
    assay_apply_target_defaults(${target})
    add_test(NAME ${name} COMMAND ${target})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    if(ASSAY_SANITIZE OR ASSAY_TSAN)
        # Instrumented code runs several times slower; the limit still catches a hang.
        math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * 4")
    endif()
    set(env "ASSAY_TEST_DATA=${CMAKE_SOURCE_DIR}/tests/data" "ASSAY_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
    if(ARG_GUI)
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "${env}"
        LABELS "${ARG_LABELS}")
endfunction()

# assay_add_benchmark(name SOURCES ... [LIBS ...]): a program under tests/bench that prints
# figures. Built with the tests, never registered as a timed test.
function(assay_add_benchmark name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    assay_check_arguments(ARG)
    set(target bench_${name})
    add_executable(${target} ${ARG_SOURCES})
    set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
    target_link_libraries(${target} PRIVATE ${ARG_LIBS})
    assay_apply_target_defaults(${target})
endfunction()
