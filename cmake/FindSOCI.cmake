# Debian's SOCI 4.0.3 ships neither a CMake package config nor a pkg-config
# file, so we locate the headers and the backend libraries ourselves.
#
# Provides SOCI::core and one SOCI::<backend> target per found backend
# (sqlite3, postgresql, mysql).

find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SOCI REQUIRED_VARS SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY)

if(SOCI_FOUND AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES
    IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
  foreach(backend sqlite3 postgresql mysql)
    find_library(SOCI_${backend}_LIBRARY NAMES soci_${backend})
    if(SOCI_${backend}_LIBRARY)
      add_library(SOCI::${backend} UNKNOWN IMPORTED)
      set_target_properties(SOCI::${backend} PROPERTIES
        IMPORTED_LOCATION "${SOCI_${backend}_LIBRARY}"
        INTERFACE_LINK_LIBRARIES SOCI::core)
    endif()
  endforeach()
endif()
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY)
