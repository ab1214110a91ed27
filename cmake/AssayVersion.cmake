# The version lives in project(); the git revision is read at every build (a commit between two
# builds shows in --version without reconfiguring). version.h is rewritten only when it changes,
# so an unchanged revision recompiles nothing.
set(ASSAY_VERSION_HEADER ${CMAKE_BINARY_DIR}/generated/assay/version.h)
add_custom_target(assay_version
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${ASSAY_VERSION_HEADER}
        -DPROJECT_VERSION=${PROJECT_VERSION} -P ${CMAKE_CURRENT_LIST_DIR}/WriteVersion.cmake
    BYPRODUCTS ${ASSAY_VERSION_HEADER}
    COMMENT "Reading the git revision"
    VERBATIM)
