import io
import unittest
from contextlib import redirect_stdout

from wc import count, main


class CountTest(unittest.TestCase):
    def test_counts_lines_words_and_characters(self):
        self.assertEqual(count("one two\nthree\n"), (2, 3, 14))

    def test_empty_text(self):
        self.assertEqual(count(""), (0, 0, 0))


class MainTest(unittest.TestCase):
    def test_prints_the_three_counts(self):
        with open(__file__, encoding="utf-8") as me:
            text = me.read()
        out = io.StringIO()
        with redirect_stdout(out):
            main([__file__])
        self.assertEqual(out.getvalue().split(), [str(n) for n in count(text)])


if __name__ == "__main__":
    unittest.main()
