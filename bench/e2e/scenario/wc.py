"""Counts the lines, words and characters of a file or of standard input, like a small `wc`."""
import argparse
import sys


def count(text):
    return text.count("\n"), len(text.split()), len(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Count lines, words and characters.")
    parser.add_argument("file", nargs="?", help="the file to count (default: standard input)")
    args = parser.parse_args(argv)
    if args.file:
        with open(args.file, encoding="utf-8") as source:
            text = source.read()
    else:
        text = sys.stdin.read()
    lines, words, chars = count(text)
    print(lines, words, chars)


if __name__ == "__main__":
    main()
