# Installation (binaries, desktop entry, AppStream metainfo, MIME type of project files, icons,
# man pages) and the Debian package: `cpack -G DEB` in the build folder makes
# assay_<version>_amd64.deb, its Depends computed by dpkg-shlibdeps. packaging/README.md says how
# to release.
include(GNUInstallDirs)

set(_id org.assayapp.Assay)
set(_res ${CMAKE_SOURCE_DIR}/resources)
set(_gen ${CMAKE_BINARY_DIR}/packaging)

install(TARGETS assay_gui assay_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${_res}/${_id}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
configure_file(${_res}/${_id}.metainfo.xml ${_gen}/${_id}.metainfo.xml @ONLY)
install(FILES ${_gen}/${_id}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${_res}/${_id}.mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
    RENAME ${_id}.xml)
install(FILES ${_res}/icons/${_id}.svg
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size 16 32 48 64 128 256)
    install(FILES ${_res}/icons/hicolor/${size}x${size}/apps/${_id}.png
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()

# Man pages: the version filled in, gzip'd as Debian wants them.
set(_manpages)
foreach(page assay assay-cli)
    configure_file(${_res}/man/${page}.1 ${_gen}/${page}.1 @ONLY)
    add_custom_command(OUTPUT ${_gen}/${page}.1.gz
        COMMAND gzip -9nc ${_gen}/${page}.1 > ${_gen}/${page}.1.gz
        DEPENDS ${_gen}/${page}.1 VERBATIM)
    list(APPEND _manpages ${_gen}/${page}.1.gz)
endforeach()
add_custom_target(assay_manpages ALL DEPENDS ${_manpages})
install(FILES ${_manpages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME assay)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Assay developers")
set(CPACK_PACKAGE_CONTACT "The Assay developers <dev@assayapp.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "inspect and fix machine-learning image datasets")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Assay opens an image dataset (image folders, CSV manifests, MNIST, COCO, Pascal VOC,
 YOLO) and shows class balance, image quality and annotation issues, duplicates and
 train/test leakage, and bias slices, on the local machine. assay-cli runs the same
 checks headless.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # assay_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://assayapp.org")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, so dpkg-shlibdeps cannot see it: the X11/Wayland platform plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
