"""English words: the WordNet lexical database and the kinds of things it says words name."""
