#include "sidecar/config/proto_yaml.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace cse::config {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::EnumDescriptor;
using ::google::protobuf::EnumValueDescriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::OneofDescriptor;
using ::google::protobuf::Reflection;

// Longest scalar quoted back in a message.
constexpr size_t kMaxQuotedScalar = 40;

SourcePosition PositionOf(const YAML::Mark& mark) {
  return {mark.line + 1, mark.column + 1};
}

std::string Location(absl::string_view filename, const YAML::Mark& mark) {
  if (mark.is_null()) return std::string(filename);
  const SourcePosition p = PositionOf(mark);
  return absl::StrCat(filename, ":", p.line, ":", p.column);
}

std::string ChildPath(absl::string_view parent, absl::string_view name) {
  if (parent.empty()) return std::string(name);
  return absl::StrCat(parent, ".", name);
}

std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuotedScalar) return absl::StrCat("'", text, "'");
  return absl::StrCat("'", text.substr(0, kMaxQuotedScalar), "...'");
}

// A plain scalar is unquoted; yaml-cpp tags quoted scalars "!".
bool IsQuoted(const YAML::Node& node) { return node.Tag() == "!"; }

// How a node reads in "expected X, got <this>".
std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return IsQuoted(node) ? absl::StrCat("the string ", Quote(node.Scalar()))
                            : Quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Undefined:
      break;
  }
  return "an undefined value";
}

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// "TextField" -> "TEXT_FIELD_": the prefix proto style puts on enum values.
std::string EnumValuePrefix(const EnumDescriptor* type) {
  std::string prefix;
  for (char c : type->name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !prefix.empty()) {
      prefix.push_back('_');
    }
    prefix.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  prefix.push_back('_');
  return prefix;
}

// The short form of an enum value: POLARITY_NEGATIVE -> "negative".
std::string ShortEnumName(const EnumValueDescriptor* value) {
  const std::string prefix = EnumValuePrefix(value->type());
  absl::string_view name = value->name();
  if (absl::StartsWith(name, prefix) && name.size() > prefix.size()) {
    name.remove_prefix(prefix.size());
  }
  return absl::AsciiStrToLower(name);
}

const EnumValueDescriptor* FindEnumValue(const EnumDescriptor* type,
                                         absl::string_view text) {
  for (int i = 0; i < type->value_count(); ++i) {
    const EnumValueDescriptor* v = type->value(i);
    if (v->name() == text || ShortEnumName(v) == text) return v;
  }
  return nullptr;
}

// The short names an admin would write; UNSPECIFIED parses but is left out
// because the validator rejects it where it matters.
std::string EnumChoices(const EnumDescriptor* type) {
  std::string out;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : ", ",
                    ShortEnumName(type->value(i)));
  }
  return out;
}

std::string FieldNames(const Descriptor* type) {
  std::string out;
  for (int i = 0; i < type->field_count(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", type->field(i)->name());
  }
  return out;
}

// What a scalar of `field`'s type looks like, for "expected ..." messages.
std::string ExpectedScalar(const FieldDescriptor* field) {
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return "a string";
    case FieldDescriptor::CPPTYPE_BOOL:
      return "true or false";
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
      return "an integer";
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return "a non-negative integer";
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return "a number";
    case FieldDescriptor::CPPTYPE_ENUM:
      return absl::StrCat("one of: ", EnumChoices(field->enum_type()));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return "a mapping";
  }
  return "a value";
}

// YAML 1.2 core-schema booleans only: "yes"/"on" are strings there and a
// likely typo here.
bool ParseBool(absl::string_view text, bool* out) {
  if (text == "true" || text == "True" || text == "TRUE") {
    *out = true;
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    *out = false;
    return true;
  }
  return false;
}

enum class NumberParse { kOk, kMalformed, kOutOfRange };

template <typename T>
NumberParse ParseInteger(absl::string_view text, T* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  if (ec == std::errc::result_out_of_range) return NumberParse::kOutOfRange;
  if (ec != std::errc() || ptr != end) {
    // A negative number for an unsigned field is out of range, not malformed.
    int64_t as_signed;
    auto [p2, ec2] = std::from_chars(text.data(), end, as_signed);
    if (std::is_unsigned_v<T> && ec2 == std::errc() && p2 == end) {
      return NumberParse::kOutOfRange;
    }
    return NumberParse::kMalformed;
  }
  return NumberParse::kOk;
}

// Converts YAML nodes into a message through reflection, recording field
// positions and collecting every problem rather than stopping at the first.
class YamlToProto {
 public:
  YamlToProto(absl::string_view filename, SourceMap* source_map,
              std::vector<ConfigError>* errors)
      : filename_(filename), source_map_(source_map), errors_(errors) {}

  void ParseMessage(const YAML::Node& node, const std::string& path,
                    Message* message) {
    if (!Visit(node)) return;
    if (!node.IsMap()) {
      Error(node.Mark(), path,
            absl::StrCat("expected a mapping, got ", Describe(node)));
      return;
    }
    const Descriptor* type = message->GetDescriptor();
    absl::flat_hash_map<std::string, YAML::Mark> seen;
    absl::flat_hash_map<const OneofDescriptor*, std::string> oneofs_set;
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      const YAML::Node& value = entry.second;
      if (!CheckKey(key, path, &seen)) continue;
      const std::string& name = key.Scalar();
      const std::string child = ChildPath(path, name);
      const FieldDescriptor* field = type->FindFieldByName(name);
      if (field == nullptr) {
        Error(key.Mark(), child,
              absl::StrCat("unknown key '", name,
                           "'; expected one of: ", FieldNames(type)));
        continue;
      }
      source_map_->Record(child, PositionOf(key.Mark()));
      if (value.IsNull()) continue;
      if (const OneofDescriptor* oneof = field->real_containing_oneof()) {
        auto [it, inserted] = oneofs_set.emplace(oneof, name);
        if (!inserted) {
          Error(key.Mark(), child,
                absl::StrCat("'", name, "' and '", it->second,
                             "' exclude each other (oneof ", oneof->name(),
                             "); give only one"));
          continue;
        }
      }
      ParseField(value, field, child, message);
    }
  }

  // Records a problem at `mark` (the file alone when the mark is null).
  void Error(const YAML::Mark& mark, std::string path, std::string message) {
    errors_->push_back(
        {Location(filename_, mark), std::move(path), std::move(message)});
  }

 private:
  // A key must be a scalar given once in its mapping.
  bool CheckKey(const YAML::Node& key, absl::string_view path,
                absl::flat_hash_map<std::string, YAML::Mark>* seen) {
    if (!key.IsScalar()) {
      Error(key.Mark(), std::string(path),
            absl::StrCat("expected a key, got ", Describe(key)));
      return false;
    }
    auto [it, inserted] = seen->emplace(key.Scalar(), key.Mark());
    if (!inserted) {
      Error(key.Mark(), ChildPath(path, key.Scalar()),
            absl::StrCat("duplicate key '", key.Scalar(),
                         "'; first given at line ", it->second.line + 1));
      return false;
    }
    return true;
  }

  void ParseField(const YAML::Node& value, const FieldDescriptor* field,
                  const std::string& path, Message* message) {
    if (field->is_map()) {
      ParseMap(value, field, path, message);
    } else if (field->is_repeated()) {
      ParseSequence(value, field, path, message);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      ParseMessage(value, path,
                   message->GetReflection()->MutableMessage(message, field));
    } else {
      StoreScalar(value, field, path, message);
    }
  }

  void ParseSequence(const YAML::Node& node, const FieldDescriptor* field,
                     const std::string& path, Message* message) {
    if (!Visit(node)) return;
    if (!node.IsSequence()) {
      Error(node.Mark(), path,
            absl::StrCat("expected a sequence, got ", Describe(node)));
      return;
    }
    const Reflection* reflection = message->GetReflection();
    int index = 0;
    for (const YAML::Node& item : node) {
      const std::string item_path = absl::StrCat(path, "[", index++, "]");
      source_map_->Record(item_path, PositionOf(item.Mark()));
      if (item.IsNull()) {
        Error(item.Mark(), item_path,
              absl::StrCat("empty sequence item; expected ",
                           ExpectedScalar(field)));
        continue;
      }
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        ParseMessage(item, item_path, reflection->AddMessage(message, field));
      } else {
        StoreScalar(item, field, item_path, message);
      }
    }
  }

  // A proto map is a repeated entry message with `key` and `value` fields.
  void ParseMap(const YAML::Node& node, const FieldDescriptor* field,
                const std::string& path, Message* message) {
    if (!Visit(node)) return;
    if (!node.IsMap()) {
      Error(node.Mark(), path,
            absl::StrCat("expected a mapping, got ", Describe(node)));
      return;
    }
    const Descriptor* entry_type = field->message_type();
    const FieldDescriptor* key_field = entry_type->map_key();
    const FieldDescriptor* value_field = entry_type->map_value();
    absl::flat_hash_map<std::string, YAML::Mark> seen;
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      const YAML::Node& value = pair.second;
      if (!CheckKey(key, path, &seen)) continue;
      const std::string child = ChildPath(path, key.Scalar());
      source_map_->Record(child, PositionOf(key.Mark()));
      if (value.IsNull()) {
        Error(key.Mark(), child,
              absl::StrCat("missing value; expected ",
                           ExpectedScalar(value_field)));
        continue;
      }
      Message* entry = message->GetReflection()->AddMessage(message, field);
      if (!StoreScalar(key, key_field, child, entry)) continue;
      ParseField(value, value_field, child, entry);
    }
  }

  // Converts a scalar node to `field`'s type and sets it (or appends it, for
  // a repeated field). Returns false after reporting a problem.
  bool StoreScalar(const YAML::Node& node, const FieldDescriptor* field,
                   const std::string& path, Message* message) {
    if (!Visit(node)) return false;
    if (!node.IsScalar()) {
      return Fail(node, path, field);
    }
    const std::string& text = node.Scalar();
    if (!IsValidUtf8(text)) {
      Error(node.Mark(), path, "the value is not valid UTF-8");
      return false;
    }
    const Reflection* r = message->GetReflection();
    const bool repeated = field->is_repeated();
    // Numbers and booleans must be plain: a quoted "3" is a string in YAML.
    const bool plain = !IsQuoted(node);
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        repeated ? r->AddString(message, field, text)
                 : r->SetString(message, field, text);
        return true;
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v = false;
        if (!plain || !ParseBool(text, &v)) return Fail(node, path, field);
        repeated ? r->AddBool(message, field, v)
                 : r->SetBool(message, field, v);
        return true;
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t v = 0;
        if (!Integer(node, plain, field, path, &v)) return false;
        repeated ? r->AddInt32(message, field, v)
                 : r->SetInt32(message, field, v);
        return true;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = 0;
        if (!Integer(node, plain, field, path, &v)) return false;
        repeated ? r->AddInt64(message, field, v)
                 : r->SetInt64(message, field, v);
        return true;
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t v = 0;
        if (!Integer(node, plain, field, path, &v)) return false;
        repeated ? r->AddUInt32(message, field, v)
                 : r->SetUInt32(message, field, v);
        return true;
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v = 0;
        if (!Integer(node, plain, field, path, &v)) return false;
        repeated ? r->AddUInt64(message, field, v)
                 : r->SetUInt64(message, field, v);
        return true;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT: {
        double v = 0;
        if (!plain || !absl::SimpleAtod(text, &v)) {
          return Fail(node, path, field);
        }
        const bool is_float =
            field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT;
        if (!std::isfinite(v) ||
            (is_float && std::fabs(v) > std::numeric_limits<float>::max())) {
          Error(node.Mark(), path,
                absl::StrCat("expected a finite number, got ", Quote(text)));
          return false;
        }
        if (is_float) {
          const auto f = static_cast<float>(v);
          repeated ? r->AddFloat(message, field, f)
                   : r->SetFloat(message, field, f);
        } else {
          repeated ? r->AddDouble(message, field, v)
                   : r->SetDouble(message, field, v);
        }
        return true;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const EnumValueDescriptor* v = FindEnumValue(field->enum_type(), text);
        if (v == nullptr) {
          Error(node.Mark(), path,
                absl::StrCat("unknown value ", Quote(text), " for ",
                             field->enum_type()->name(), "; expected one of: ",
                             EnumChoices(field->enum_type())));
          return false;
        }
        repeated ? r->AddEnum(message, field, v)
                 : r->SetEnum(message, field, v);
        return true;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        break;
    }
    return Fail(node, path, field);
  }

  template <typename T>
  bool Integer(const YAML::Node& node, bool plain, const FieldDescriptor* field,
               const std::string& path, T* out) {
    if (!plain) return Fail(node, path, field);
    switch (ParseInteger(node.Scalar(), out)) {
      case NumberParse::kOk:
        return true;
      case NumberParse::kOutOfRange:
        Error(node.Mark(), path,
              absl::StrCat(Quote(node.Scalar()), " is out of range for ",
                           field->cpp_type_name(), " (",
                           std::numeric_limits<T>::min(), " to ",
                           std::numeric_limits<T>::max(), ")"));
        return false;
      case NumberParse::kMalformed:
        break;
    }
    return Fail(node, path, field);
  }

  bool Fail(const YAML::Node& node, const std::string& path,
            const FieldDescriptor* field) {
    Error(node.Mark(), path,
          absl::StrCat("expected ", ExpectedScalar(field), ", got ",
                       Describe(node)));
    return false;
  }

  // Counts a visited node; false once the budget is spent (reported once).
  bool Visit(const YAML::Node& node) {
    if (++visited_ <= kMaxYamlValues) return true;
    if (visited_ == kMaxYamlValues + 1) {
      Error(node.Mark(), "",
            absl::StrCat("the YAML expands to more than ", kMaxYamlValues,
                         " values (check aliases); not read further"));
    }
    return false;
  }

  absl::string_view filename_;
  SourceMap* source_map_;
  std::vector<ConfigError>* errors_;
  int visited_ = 0;
};

}  // namespace

ProtoYamlParse ParseYamlIntoMessage(absl::string_view yaml,
                                    absl::string_view filename,
                                    size_t max_bytes,
                                    google::protobuf::Message* message) {
  ProtoYamlParse result;
  if (yaml.size() > max_bytes) {
    result.errors.push_back(
        {std::string(filename), "",
         absl::StrCat("the file is ", yaml.size(), " bytes; at most ",
                      max_bytes, " are accepted")});
    return result;
  }
  YamlToProto parser(filename, &result.source_map, &result.errors);
  // yaml-cpp reports syntax errors, excessive nesting and misuse by
  // exception; none may leave this module.
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(yaml));
    if (documents.size() > 1) {
      parser.Error(
          documents[1].Mark(), "",
          absl::StrCat("expected one YAML document, found ", documents.size()));
    } else if (documents.size() == 1 && !documents[0].IsNull()) {
      parser.ParseMessage(documents[0], "", message);
    }
  } catch (const YAML::Exception& e) {
    parser.Error(e.mark, "", absl::StrCat("invalid YAML: ", e.msg));
  } catch (const std::exception& e) {
    parser.Error(YAML::Mark::null_mark(), "",
                 absl::StrCat("cannot read the YAML: ", e.what()));
  }
  if (!result.errors.empty()) message->Clear();
  return result;
}

}  // namespace cse::config
