# The Debian packages `make deb` builds (cpack -G DEB), one per install
# component (CMakeLists.txt):
#   mig         the command, its PostgreSQL and MySQL modules, man pages and
#               completions
#   libmig0     the shared library applications link (mig/project.h)
#   libmig-dev  its headers, the static library, the CMake package and mig.pc
# Each package's dependencies on shared libraries are read from its ELF files
# by dpkg-shlibdeps; libmig-dev's are the -dev packages its headers and mig.pc
# name. Debian forbids copies of libraries inside a package (lintian's
# embedded-library), so `make deb` configures with MIG_STATIC_DEPS=OFF.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mig)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "the mig developers")
set(CPACK_PACKAGE_CONTACT "mig developers <mig-dev@lists.mig.invalid>")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime lib dev)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME mig)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION database)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "versioned database migrations from plain SQL files
mig applies revisions written as plain SQL files, linked by parent ids, to
SQLite, PostgreSQL and MySQL/MariaDB databases in graph order, records them in
a version table and an append-only log, and writes the next revision for you
from an edited schema.sql. This package holds the mig command, its PostgreSQL
and MySQL/MariaDB modules, man pages and bash, zsh and fish completions.")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libmig0)
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
# The shlibs file tells dpkg-shlibdeps of a program linking libmig.so.0 which
# package provides it. CPack's switch is global; only files with a SONAME get
# an entry, so the modules in mig (plugins, no SONAME) get none.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# Debian runs ldconfig from a trigger, not from maintainer scripts.
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/packaging/libmig0/triggers)
set(CPACK_COMPONENT_LIB_DESCRIPTION "mig's migration engine as a shared library
libmig runs mig's migrations from inside an application (for example at
service start-up): upgrade, downgrade, status and the rest of what the mig
command does, on SQLite.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmig-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "libmig0 (= ${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}), libsoci-dev, libsqlite3-dev, libboost-filesystem-dev, libssl-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION "mig's migration engine: development files
The headers (mig/project.h), the static library, the CMake package
(find_package(mig CONFIG) gives mig::mig) and the pkg-config file of libmig,
for applications that run mig's migrations themselves.")

# What Debian asks of every package: /usr/share/doc/PACKAGE/copyright and
# changelog.Debian.gz (one entry: this build). Only in the packages: a plain
# `cmake --install` (all components) leaves them out.
string(TIMESTAMP MIG_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/packaging/changelog.Debian.in
  ${CMAKE_BINARY_DIR}/packaging/changelog.Debian @ONLY)
execute_process(COMMAND ${MIG_GZIP} -9nf ${CMAKE_BINARY_DIR}/packaging/changelog.Debian
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip changelog.Debian failed: ${rc}")
endif()
foreach(pair "runtime;mig" "lib;libmig0" "dev;libmig-dev")
  list(GET pair 0 component)
  list(GET pair 1 package)
  install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/copyright
    ${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${component}
    EXCLUDE_FROM_ALL)
endforeach()

include(CPack)
