# Assay makes no network connections (docs/security.md): its programs import no socket or name
# lookup function and link no network library. Run by CTest as
#   cmake -DNM=<nm> -DREADELF=<readelf> -DPROGRAMS=<file>[,<file>...] -P nonetwork.cmake
string(REPLACE "," ";" programs "${PROGRAMS}")
set(forbidden socket socketpair connect bind listen accept accept4 getaddrinfo getnameinfo
    gethostbyname gethostbyname2 gethostbyaddr gethostbyname_r res_query res_search sendto
    sendmsg recvfrom recvmsg getifaddrs)
foreach(program IN LISTS programs)
    execute_process(COMMAND "${NM}" -D --undefined-only "${program}"
        OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "${NM} could not read ${program}")
    endif()
    # Proof the listing is real: every program opens files through open().
    if(NOT symbols MATCHES "U (open|open64|__open_2|__open64_2)(@|\n)")
        message(FATAL_ERROR "no open() import found in ${program}; is this listing right?\n${symbols}")
    endif()
    foreach(name IN LISTS forbidden)
        if(symbols MATCHES "U ${name}(@|\n)")
            message(FATAL_ERROR "${program} imports ${name}: a network call")
        endif()
    endforeach()
    execute_process(COMMAND "${READELF}" -d "${program}" OUTPUT_VARIABLE dynamic
        RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "${READELF} could not read ${program}")
    endif()
    foreach(library Qt6Network Qt6WebEngine curl ssl gnutls)
        if(dynamic MATCHES "NEEDED[^\n]*lib${library}")
            message(FATAL_ERROR "${program} links lib${library}")
        endif()
    endforeach()
    message(STATUS "${program}: no network imports")
endforeach()
