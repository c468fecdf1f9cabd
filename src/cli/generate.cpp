#include "cli/generate.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include "base/strings.h"

namespace mig {
namespace {

// What a value is completed from.
enum class Values { None, Target, Command, Choice, File, Any };

struct Opt {
  std::vector<std::string> names;  // "-j", "--jobs"; empty for a positional
  std::string pname;               // a positional's name: TARGET
  std::string type;                // TEXT, INT (before any ":{…}")
  std::vector<std::string> choices;
  std::string description, default_value;
  Values values = Values::None;
  bool required = false, many = false;
};

struct Command {
  std::string name, description;
  std::vector<Opt> options, positionals;
};

// CLI11 writes an IsMember check into the type name: "TEXT:{stop,continue}".
void split_type(const std::string& full, Opt& o) {
  size_t colon = full.find(':');
  o.type = full.substr(0, colon);
  if (colon == std::string::npos) return;
  std::string rest = full.substr(colon + 1);
  if (rest.size() < 2 || rest.front() != '{' || rest.back() != '}') return;
  std::stringstream in(rest.substr(1, rest.size() - 2));
  for (std::string c; std::getline(in, c, ',');) o.choices.push_back(c);
}

Values values_of(const Opt& o) {
  static const char* const files[] = {"--config", "--to", "--from", "--out-dir"};
  if (!o.choices.empty()) return Values::Choice;
  if (o.pname == "TARGET" || o.pname == "REVISION") return Values::Target;
  if (o.pname == "COMMAND") return Values::Command;
  if (o.pname == "DIR") return Values::File;
  for (const auto& n : o.names) {
    if (n == "--parent") return Values::Target;
    for (const char* f : files)
      if (n == f) return Values::File;
  }
  return Values::Any;
}

Opt model_option(const CLI::Option& option) {
  Opt o;
  for (const auto& s : option.get_snames()) o.names.push_back("-" + s);
  for (const auto& l : option.get_lnames()) o.names.push_back("--" + l);
  if (o.names.empty()) o.pname = option.get_name();
  o.description = option.get_description();
  o.default_value = option.get_default_str();
  o.required = option.get_required();
  o.many = option.get_items_expected_max() > 1;
  // A flag has no type name (CLI11's help prints none for it either).
  if (!option.get_type_name().empty() || !o.pname.empty()) {
    split_type(option.get_type_name(), o);
    o.values = values_of(o);
  }
  return o;
}

Command model_command(const CLI::App& app) {
  Command c;
  c.name = app.get_name();
  c.description = app.get_description();
  for (const CLI::Option* option : app.get_options()) {
    if (!option->nonpositional() && option->get_name().empty()) continue;
    Opt o = model_option(*option);
    (o.pname.empty() ? c.options : c.positionals).push_back(o);
  }
  return c;
}

std::vector<Command> visible_commands(const CLI::App& app) {
  std::vector<Command> out;
  for (const CLI::App* sub : app.get_subcommands({}))
    if (!sub->get_group().empty()) out.push_back(model_command(*sub));
  return out;
}

// ---- man pages ----

// Text for roff: backslashes escaped, a line may not start with '.' or '\'',
// and the dashes of an option or a count typed in the text (--group, -N) are
// minus signs, so that they copy as typed; a hyphen inside a word stays one.
std::string roff(const std::string& text) {
  std::string out;
  char prev = '\n';
  for (char ch : text) {
    if (prev == '\n' && (ch == '.' || ch == '\'')) out += "\\&";
    bool word_start = prev == '\n' || prev == ' ' || prev == '(' || prev == '-' || prev == ',';
    if (ch == '\\')
      out += "\\e";
    else if (ch == '-' && word_start)
      out += "\\-";
    else
      out += ch;
    prev = ch;
  }
  return out;
}

// An option name or word where '-' is the minus sign it is typed as.
std::string literal(const std::string& word) {
  std::string out;
  for (char ch : word) out += ch == '-' ? std::string("\\-") : std::string(1, ch);
  return out;
}

void option_item(std::ostringstream& out, const Opt& o) {
  out << ".TP\n";
  std::string names;
  for (const auto& n : o.names)
    names += (names.empty() ? "" : ", ") + ("\\fB" + literal(n) + "\\fR");
  if (o.names.empty()) names = "\\fI" + o.pname + "\\fR";
  out << names;
  if (o.values != Values::None) {
    if (!o.choices.empty()) {
      std::string set;
      for (const auto& c : o.choices) set += (set.empty() ? "" : "|") + literal(c);
      out << " {" << set << "}";
    } else if (!o.names.empty()) {
      out << " \\fI" << o.type << "\\fR";
    }
    if (o.many && !o.names.empty()) out << " ...";
  }
  out << "\n" << roff(o.description);
  if (!o.default_value.empty()) out << " (default: " << roff(o.default_value) << ")";
  out << "\n";
}

std::string header(const std::string& title, const std::string& version, const std::string& date) {
  return ".TH " + literal(upper_ascii(title)) + " 1 \"" + date + "\" \"mig " + version +
         "\" \"User Commands\"\n";
}

// The footer's paragraphs ("Targets: …", "Exit codes: …") as sections.
void footer_sections(std::ostringstream& out, const std::string& footer) {
  std::stringstream in(footer);
  std::string title, body;
  auto flush = [&] {
    if (title.empty()) return;
    out << ".SH " << (title == "EXIT CODES" ? std::string("EXIT STATUS") : title) << "\n"
        << roff(body) << "\n";
    body.clear();
  };
  for (std::string line; std::getline(in, line);) {
    size_t colon = line.find(": ");
    bool starts = colon != std::string::npos && colon > 0 &&
                  std::isupper(static_cast<unsigned char>(line[0])) &&
                  line.substr(0, colon).find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ") == std::string::npos;
    if (starts) {
      flush();
      title = upper_ascii(line.substr(0, colon));
      body = line.substr(colon + 2);
    } else {
      body += (body.empty() ? "" : "\n") + line;
    }
  }
  flush();
}

std::string synopsis_args(const Command& c) {
  std::string out;
  if (!c.options.empty()) out += " [\\fIOPTIONS\\fR]";
  for (const auto& p : c.positionals) {
    std::string word = "\\fI" + p.pname + "\\fR" + (p.many ? " ..." : "");
    out += p.required ? " " + word : " [" + word + "]";
  }
  return out;
}

std::string main_page(const CLI::App& app, const std::vector<Command>& commands,
                      const std::string& version, const std::string& date) {
  Command global = model_command(app);
  std::ostringstream out;
  std::string about = app.get_description();
  if (about.rfind("mig: ", 0) == 0) about = about.substr(5);
  out << header("mig", version, date) << ".SH NAME\nmig \\- " << roff(about)
      << "\n.SH SYNOPSIS\n.B mig\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]\n"
      << ".SH DESCRIPTION\n"
      << "mig runs versioned database migrations written as plain SQL revision files on\n"
         "SQLite, PostgreSQL and MySQL/MariaDB. Each command has a page of its own,\n"
         "\\fBmig\\-\\fR\\fICOMMAND\\fR(1), and \\fBmig help\\fR \\fICOMMAND\\fR prints the same "
         "text.\n"
      << ".SH COMMANDS\n";
  for (const auto& c : commands)
    out << ".TP\n\\fB" << literal(c.name) << "\\fR\n" << roff(c.description) << "\n";
  out << ".SH OPTIONS\n";
  for (const auto& o : global.options) option_item(out, o);
  footer_sections(out, app.get_footer());
  out << ".SH SEE ALSO\n";
  for (size_t i = 0; i < commands.size(); ++i)
    out << "\\fBmig\\-" << literal(commands[i].name) << "\\fR(1)"
        << (i + 1 < commands.size() ? ",\n" : "\n");
  return out.str();
}

std::string command_page(const CLI::App& app, const Command& c, const std::string& version,
                         const std::string& date) {
  std::ostringstream out;
  out << header("mig-" + c.name, version, date) << ".SH NAME\nmig\\-" << literal(c.name) << " \\- "
      << roff(c.description) << "\n.SH SYNOPSIS\n.B mig\n[\\fIGLOBAL OPTIONS\\fR]\n.B "
      << literal(c.name) << "\n"
      << synopsis_args(c).substr(1) << "\n.SH DESCRIPTION\n"
      << roff(c.description) << ".\nThe global options are described in \\fBmig\\fR(1).\n";
  if (!c.positionals.empty()) {
    out << ".SH ARGUMENTS\n";
    for (const auto& p : c.positionals) option_item(out, p);
  }
  if (!c.options.empty()) {
    out << ".SH OPTIONS\n";
    for (const auto& o : c.options) option_item(out, o);
  }
  footer_sections(out, app.get_footer());
  out << ".SH SEE ALSO\n\\fBmig\\fR(1)\n";
  return out.str();
}

// ---- completions ----

std::string join(const std::vector<std::string>& words, const std::string& sep = " ") {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

std::vector<std::string> names_taking_values(const std::vector<Opt>& options) {
  std::vector<std::string> out;
  for (const auto& o : options)
    if (o.values != Values::None) out.insert(out.end(), o.names.begin(), o.names.end());
  return out;
}

std::vector<std::string> all_names(const std::vector<Opt>& options) {
  std::vector<std::string> out;
  for (const auto& o : options) out.insert(out.end(), o.names.begin(), o.names.end());
  return out;
}

std::vector<std::string> command_names(const std::vector<Command>& commands) {
  std::vector<std::string> out;
  for (const auto& c : commands) out.push_back(c.name);
  return out;
}

// A shell word in single quotes.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// bash: the value completions of one option or positional, as a case arm body.
std::string bash_values(const Opt& o, const std::vector<Command>& commands) {
  switch (o.values) {
    case Values::Target:
      return "_mig_words \"$(_mig_targets)\"";
    case Values::Command:
      return "_mig_words " + shell_quote(join(command_names(commands)));
    case Values::Choice:
      return "_mig_words " + shell_quote(join(o.choices));
    case Values::File:
      return "COMPREPLY=($(compgen -f -- \"$cur\"))";
    default:
      return "COMPREPLY=()";
  }
}

std::string bash_script(const Command& global, const std::vector<Command>& commands) {
  std::ostringstream out;
  out << "# bash completion for mig; written by `mig completion bash` from its command table.\n"
         "_mig_words() { COMPREPLY=($(compgen -W \"$1\" -- \"$cur\")); }\n"
         "# Revision ids and branch labels of the project in this directory.\n"
         "# Revision ids and branch labels of the project in this directory, or of\n"
         "# the --config file on the line; asked of the mig being completed.\n"
         "_mig_targets() { command \"${COMP_WORDS[0]}\" ${_mig_config:+--config \"$_mig_config\"} "
         "__complete targets 2>/dev/null; }\n"
         "_mig() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  local cmd=\"\" _mig_config=\"\" i w\n"
         "  # bash splits --opt=value into three words: --opt, = and value.\n"
         "  if [[ \"$cur\" == = ]]; then cur=\"\";\n"
         "  elif [[ \"$prev\" == = ]]; then prev=\"${COMP_WORDS[COMP_CWORD-2]}\"; fi\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=\"${COMP_WORDS[i]}\"\n"
         "    [[ \"${COMP_WORDS[i+1]}\" == = && $((i + 2)) -lt $COMP_CWORD ]] && w=\"$w=\"\n"
         "    case \"$w\" in\n"
         "    --config) _mig_config=\"${COMP_WORDS[i+1]}\"; ((i++)) ;;\n"
         "    --config=) _mig_config=\"${COMP_WORDS[i+2]}\"; ((i += 2)) ;;\n"
         "    "
      << join(names_taking_values(global.options), "|")
      << ") ((i++)) ;;\n"
         "    *=) ((i += 2)) ;;\n"
         "    -*) ;;\n"
         "    *) cmd=\"$w\"; break ;;\n"
         "    esac\n"
         "  done\n"
         "  case \"$prev\" in\n";
  for (const auto& o : global.options)
    if (o.values != Values::None)
      out << "  " << join(o.names, "|") << ") " << bash_values(o, commands) << "; return ;;\n";
  out << "  esac\n"
         "  if [[ -z \"$cmd\" ]]; then\n"
         "    if [[ \"$cur\" == -* ]]; then _mig_words "
      << shell_quote(join(all_names(global.options))) << "; else _mig_words "
      << shell_quote(join(command_names(commands))) << "; fi\n"
      << "    return\n"
         "  fi\n"
         "  case \"$cmd\" in\n";
  for (const auto& c : commands) {
    out << "  " << c.name << ")\n    case \"$prev\" in\n";
    for (const auto& o : c.options)
      if (o.values != Values::None)
        out << "    " << join(o.names, "|") << ") " << bash_values(o, commands) << "; return ;;\n";
    out << "    esac\n    if [[ \"$cur\" == -* ]]; then _mig_words "
        << shell_quote(join(all_names(c.options))) << "; return; fi\n";
    if (!c.positionals.empty())
      out << "    " << bash_values(c.positionals.front(), commands) << "\n";
    else
      out << "    COMPREPLY=()\n";
    out << "    ;;\n";
  }
  out << "  esac\n"
         "}\n"
         "complete -F _mig mig\n";
  return out.str();
}

// zsh: text inside an _arguments spec's [description].
std::string zsh_description(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '[' || ch == ']' || ch == '\\') out += '\\';
    out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  }
  return out;
}

std::string zsh_action(const Opt& o) {
  switch (o.values) {
    case Values::Target:
      return "_mig_targets";
    case Values::Command:
      return "_mig_commands";
    case Values::Choice:
      return "(" + join(o.choices) + ")";
    case Values::File:
      return "_files";
    default:
      return " ";
  }
}

std::string zsh_spec(const Opt& o) {
  std::string value;
  if (o.values != Values::None) {
    std::string type = o.type.empty() ? "value" : lower_ascii(o.type);
    value = ":" + type + ":" + zsh_action(o);
  }
  std::string rest = "'[" + zsh_description(o.description) + "]" + value + "'";
  std::string repeat = o.many ? "*" : "";
  if (o.names.size() == 1) return "'" + repeat + o.names[0] + "'" + rest;
  // Brace expansion (unquoted) gives one spec per name; a repeatable option
  // may come again, others exclude their other spellings.
  std::string names = "{" + join(o.names, ",") + "}";
  if (o.many) return "'*'" + names + rest;
  return "'(" + join(o.names) + ")'" + names + rest;
}

std::string zsh_script(const Command& global, const std::vector<Command>& commands) {
  std::ostringstream out;
  out << "#compdef mig\n"
         "# zsh completion for mig; written by `mig completion zsh` from its command table.\n"
         "# Revision ids and branch labels of the project in this directory, or of\n"
         "# the --config file on the line; asked of the mig being completed.\n"
         "_mig_targets() {\n"
         "  local -a targets config\n"
         "  local i=${_mig_line[(I)--config]} j=${_mig_line[(I)--config=*]}\n"
         "  if (( i )); then config=(--config ${(Q)_mig_line[i+1]})\n"
         "  elif (( j )); then config=(--config ${(Q)${_mig_line[j]#--config=}}); fi\n"
         "  targets=(${(f)\"$(command ${(Q)_mig_line[1]} $config __complete targets "
         "2>/dev/null)\"})\n"
         "  compadd -a targets\n"
         "}\n"
         "_mig_commands() {\n"
         "  local -a commands\n"
         "  commands=(\n";
  for (const auto& c : commands) {
    std::string entry = c.name + ":" + c.description;
    std::string escaped;
    for (size_t i = 0; i < entry.size(); ++i) {
      char ch = entry[i];
      if (ch == ':' && i != c.name.size()) escaped += '\\';
      escaped += ch;
    }
    out << "    " << shell_quote(escaped) << "\n";
  }
  out << "  )\n"
         "  _describe 'command' commands\n"
         "}\n"
         "_mig() {\n"
         "  local curcontext=\"$curcontext\" state line\n"
         "  # The whole line: _arguments cuts $words down to the command's own.\n"
         "  local -a _mig_line=(\"${words[@]}\")\n"
         "  _arguments -C \\\n";
  for (const auto& o : global.options) out << "    " << zsh_spec(o) << " \\\n";
  out << "    '1:command:_mig_commands' \\\n"
         "    '*::argument:->command' && return\n"
         "  case $line[1] in\n";
  for (const auto& c : commands) {
    out << "  " << c.name << ")\n    _arguments";
    for (const auto& o : c.options) out << " \\\n      " << zsh_spec(o);
    int n = 1;
    for (const auto& p : c.positionals)
      out << " \\\n      '" << (p.many ? std::string("*") : std::to_string(n++)) << ":"
          << lower_ascii(p.pname) << ":" << zsh_action(p) << "'";
    out << "\n    ;;\n";
  }
  out << "  esac\n"
         "}\n"
         "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _mig \"$@\"; else compdef _mig mig; "
         "fi\n";
  return out.str();
}

std::string fish_option(const Opt& o, const std::vector<Command>& commands,
                        const std::string& condition) {
  std::string out = "complete -c mig";
  if (!condition.empty()) out += " -n " + shell_quote(condition);
  for (const auto& n : o.names)
    out += n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1);
  switch (o.values) {
    case Values::None:
      break;
    case Values::Target:
      out += " -x -a '(__mig_targets)'";
      break;
    case Values::Command:
      out += " -x -a " + shell_quote(join(command_names(commands)));
      break;
    case Values::Choice:
      out += " -x -a " + shell_quote(join(o.choices));
      break;
    case Values::File:
      out += " -r -F";
      break;
    default:
      out += " -x";
  }
  return out + " -d " + shell_quote(o.description) + "\n";
}

std::string fish_script(const Command& global, const std::vector<Command>& commands) {
  std::ostringstream out;
  out << "# fish completion for mig; written by `mig completion fish` from its command table.\n"
         "# The command word: the first word that is neither an option nor a global option's "
         "value.\n"
         "function __mig_command\n"
         "    set -l words (commandline -opc)\n"
         "    set -e words[1]\n"
         "    while set -q words[1]\n"
         "        switch $words[1]\n"
         "            case "
      << join(names_taking_values(global.options))
      << "\n"
         "                set -e words[1]\n"
         "            case '-*'\n"
         "            case '*'\n"
         "                echo $words[1]\n"
         "                return\n"
         "        end\n"
         "        set -e words[1]\n"
         "    end\n"
         "end\n"
         "function __mig_using\n"
         "    set -l command (__mig_command)\n"
         "    test \"$command\" = \"$argv[1]\"\n"
         "end\n"
         "function __mig_no_command\n"
         "    set -l command (__mig_command)\n"
         "    test -z \"$command\"\n"
         "end\n"
         "# Revision ids and branch labels of the project in this directory, or of\n"
         "# the --config file on the line; asked of the mig being completed.\n"
         "function __mig_targets\n"
         "    set -l words (commandline -opc)\n"
         "    set -l config\n"
         "    set -l i (contains -i -- --config $words)\n"
         "    and set config --config $words[(math $i + 1)]\n"
         "    for w in $words\n"
         "        string match -q -- '--config=*' $w\n"
         "        and set config --config (string replace -- --config= '' $w)\n"
         "    end\n"
         "    command $words[1] $config __complete targets 2>/dev/null\n"
         "end\n"
         "complete -c mig -f\n";
  for (const auto& c : commands)
    out << "complete -c mig -n __mig_no_command -a " << c.name << " -d "
        << shell_quote(c.description) << "\n";
  for (const auto& o : global.options) out << fish_option(o, commands, "");
  for (const auto& c : commands) {
    std::string condition = "__mig_using " + c.name;
    for (const auto& o : c.options) out << fish_option(o, commands, condition);
    for (const auto& p : c.positionals) {
      // A positional is offered where an argument goes, not after a flag.
      if (p.values == Values::File)
        out << "complete -c mig -n " + shell_quote(condition) + " -F -d " +
                   shell_quote(p.description) + "\n";
      else
        out << fish_option(p, commands, condition);
    }
  }
  return out.str();
}

}  // namespace

std::map<std::string, std::string> man_pages(const CLI::App& app, const std::string& version,
                                             const std::string& date) {
  std::vector<Command> commands = visible_commands(app);
  std::map<std::string, std::string> out;
  out["mig.1"] = main_page(app, commands, version, date);
  for (const auto& c : commands) out["mig-" + c.name + ".1"] = command_page(app, c, version, date);
  return out;
}

std::string completion_script(const CLI::App& app, const std::string& shell) {
  Command global = model_command(app);
  std::vector<Command> commands = visible_commands(app);
  if (shell == "bash") return bash_script(global, commands);
  if (shell == "zsh") return zsh_script(global, commands);
  if (shell == "fish") return fish_script(global, commands);
  return {};
}

}  // namespace mig
