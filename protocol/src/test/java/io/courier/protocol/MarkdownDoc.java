package io.courier.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parts of a markdown document of the repository that a test checks against the code: its
 * tables and its fenced blocks, each with the heading it stands under.
 *
 * <p>Only what the docs use is understood: pipe tables (a header row, a {@code |---|} row, then one
 * row per line, {@code \|} for a pipe inside a cell) and blocks fenced with three backticks.
 */
final class MarkdownDoc {

  /** A pipe table: header cells and rows of cells, as written (backticks and all). */
  record Table(String heading, int line, List<String> header, List<List<String>> rows) {

    /** The index of the column whose header reads {@code name} once plain. */
    int column(String name) {
      for (int i = 0; i < header.size(); i++) {
        if (plain(header.get(i)).equals(name)) {
          return i;
        }
      }
      throw new AssertionError(this + " has no column " + name);
    }

    /** True when the header's first cells read {@code names} once plain. */
    boolean startsWith(String... names) {
      if (header.size() < names.length) {
        return false;
      }
      for (int i = 0; i < names.length; i++) {
        if (!plain(header.get(i)).equals(names[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return "the table at line " + line + " (under \"" + heading + "\")";
    }
  }

  /** A fenced block: the lines between the fences, the first of them at {@code line}. */
  record Block(String heading, int line, List<String> lines) {}

  private final Path path;
  private final List<String> lines;
  private final List<Table> tables = new ArrayList<>();
  private final List<Block> blocks = new ArrayList<>();

  private MarkdownDoc(Path path, List<String> lines) {
    this.path = path;
    this.lines = lines;
    parse();
  }

  /**
   * Reads {@code relative} (e.g. {@code docs/protocol.md}) from the repository: under the directory
   * the build names in the system property {@code courier.root}, else under the first directory
   * above the working directory that holds it (a run from an IDE).
   */
  static MarkdownDoc inRepository(String relative) {
    Path cwd = Path.of("").toAbsolutePath();
    String root = System.getProperty("courier.root");
    List<Path> candidates = new ArrayList<>();
    if (root != null && !root.isBlank()) {
      candidates.add(Path.of(root).resolve(relative));
    }
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve(relative));
    }
    Path found =
        candidates.stream()
            .filter(Files::isRegularFile)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        relative + " not found under courier.root=" + root + " nor above " + cwd));
    try {
      return new MarkdownDoc(found, Files.readAllLines(found, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return path;
  }

  /** The whole text, lines joined with {@code \n}. */
  String text() {
    return String.join("\n", lines);
  }

  List<Table> tables() {
    return tables;
  }

  List<Block> blocks() {
    return blocks;
  }

  /** The one table whose header starts with {@code names}; fails when there is none or several. */
  Table table(String... names) {
    List<Table> found = tables.stream().filter(t -> t.startsWith(names)).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          path
              + ": expected one table with columns "
              + Arrays.toString(names)
              + ", found "
              + found);
    }
    return found.get(0);
  }

  /** A cell as read: without backticks, bold markers and surrounding space. */
  static String plain(String cell) {
    return cell.replace("`", "").replace("**", "").strip();
  }

  private void parse() {
    String heading = "";
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        int start = i + 1;
        int end = start;
        while (end < lines.size() && !lines.get(end).startsWith("```")) {
          end++;
        }
        blocks.add(new Block(heading, start + 1, List.copyOf(lines.subList(start, end))));
        i = end + 1;
      } else if (line.startsWith("#")) {
        heading = line.replaceFirst("^#+\\s*", "");
        i++;
      } else if (line.startsWith("|")
          && i + 1 < lines.size()
          && lines.get(i + 1).matches("\\|[\\s:|-]+\\|\\s*")) {
        List<String> header = cells(line);
        List<List<String>> rows = new ArrayList<>();
        int row = i + 2;
        while (row < lines.size() && lines.get(row).startsWith("|")) {
          List<String> cells = cells(lines.get(row));
          if (cells.size() != header.size()) {
            throw new AssertionError(
                path + " line " + (row + 1) + ": " + cells.size() + " cells, header has " + header);
          }
          rows.add(cells);
          row++;
        }
        tables.add(new Table(heading, i + 1, header, rows));
        i = row;
      } else {
        i++;
      }
    }
  }

  /** The cells of {@code | a | b \| c |}: "a" and "b | c". */
  private static List<String> cells(String row) {
    String inner = row.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        cells.add(cell.toString().strip());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString().strip());
    return cells;
  }
}
