# Generates the C++ source that embeds the builtin mapping YAML files.
#
# Run in script mode at build time (see CMakeLists.txt):
#   cmake -DNAMES=default,four_stage -DDIR=<defaults dir> -DOUTPUT=<file.cc>
#         -P embed_builtin_mappings.cmake
# Each <DIR>/<name>.yaml becomes one raw string literal; a missing file is
# left out (BuiltinMappingYaml() then returns an empty view for it).

foreach(var NAMES DIR OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_builtin_mappings.cmake: -D${var}=... is required")
  endif()
endforeach()

# The raw string delimiter; a file containing ")<delimiter>\"" cannot be
# embedded this way and is reported.
set(delimiter "cse_yaml")

string(REPLACE "," ";" names "${NAMES}")
set(entries "")
foreach(name IN LISTS names)
  if(NOT name MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "builtin mapping name '${name}' must match [a-z0-9_]+")
  endif()
  set(yaml_file "${DIR}/${name}.yaml")
  if(NOT EXISTS "${yaml_file}")
    message(STATUS "builtin mapping '${name}': ${yaml_file} not found; not embedded")
    continue()
  endif()
  file(READ "${yaml_file}" text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${yaml_file} contains ')${delimiter}\"' and cannot be embedded")
  endif()
  string(APPEND entries "    {\"${name}\",\n     R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()

set(out "// Generated from sidecar/config/defaults/*.yaml by\n")
string(APPEND out "// sidecar/config/embed_builtin_mappings.cmake. Do not edit.\n")
string(APPEND out "#include \"sidecar/config/builtin_mappings_data.h\"\n\n")
string(APPEND out "namespace cse::config::internal {\n")
if(entries STREQUAL "")
  string(APPEND out "\nabsl::Span<const EmbeddedMapping> EmbeddedMappings() { return {}; }\n")
else()
  string(APPEND out "namespace {\n\nconstexpr EmbeddedMapping kEmbeddedMappings[] = {\n")
  string(APPEND out "${entries}")
  string(APPEND out "};\n\n}  // namespace\n\n")
  string(APPEND out "absl::Span<const EmbeddedMapping> EmbeddedMappings() {\n")
  string(APPEND out "  return kEmbeddedMappings;\n}\n")
endif()
string(APPEND out "\n}  // namespace cse::config::internal\n")
file(WRITE "${OUTPUT}" "${out}")
