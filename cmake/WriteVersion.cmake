# Script mode (cmake -P): writes OUTPUT from version.h.in with PROJECT_VERSION and the source
# tree's git revision ("unknown" outside a git checkout).
find_package(Git QUIET)
set(ASSAY_GIT_REVISION "unknown")
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=10 HEAD
        WORKING_DIRECTORY ${SOURCE_DIR}
        OUTPUT_VARIABLE _rev OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _res)
    if(_res EQUAL 0 AND _rev)
        set(ASSAY_GIT_REVISION "${_rev}")
    endif()
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in ${OUTPUT} @ONLY)
