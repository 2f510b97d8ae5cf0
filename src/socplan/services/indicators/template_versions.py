"""The stored values' versions as a template exported them, read piece by piece (issue 19).

The export writes, for every stored value of the sheet, «code|component|kind» → [version, value as text, comment
hash] as one JSON object (:func:`socplan.services.indicators.excel._exported_versions`), split over rows of
«_ключи». A 20 000-row form has 40 000 of them: the whole text joined, ``json.loads`` and a dict of tuples held
~16 MB during an import. Here each piece is parsed as it is read (:class:`VersionsText`), and the import keeps
only each entry's version, by the hash of its key, in an open-addressing table of two arrays (~16 bytes a value with its slack,
:class:`ExportedVersions`). The exported texts matter only for a cell someone else saved since the export (its
version differs): the import reads them again, for those few keys alone, at the end (:class:`ExportedTexts`).
"""

from __future__ import annotations

import json
import re
from array import array

from socplan.domain.errors import ImportFileError

_DECODE = json.JSONDecoder().raw_decode
#: an entry as the export writes it (no escapes, no spaces): read by one match; anything else by the JSON decoder
_PLAIN = re.compile(r'"([^"\\\x00-\x1f]*)":\[(-?\d+),"([^"\\\x00-\x1f]*)","([^"\\\x00-\x1f]*)"\]')
_SPACE = " \t\r\n"
_MAX_LOAD = 0.75
# parser states
_OPEN, _FIRST, _NEXT, _ENTRY, _DONE = range(5)


def _skip(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in _SPACE:
        pos += 1
    return pos


class VersionsText:
    """The incremental parser: ``feed`` the pieces in order, then ``finish``; each entry goes to :meth:`entry`."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self._rest = ""
        self._state = _OPEN

    def entry(self, key: str, version: int, value_text: str, comment_hash: str) -> None:
        raise NotImplementedError

    def _corrupt(self) -> ImportFileError:
        return ImportFileError(f"Файл «{self.file_name}»: служебные данные шаблона повреждены. Выгрузите шаблон "
                               "заново.")

    def feed(self, piece: str) -> None:
        """Parse what is complete of the text so far; an entry cut between two pieces waits for the next."""
        text = self._rest + piece if self._rest else piece
        n, pos, state = len(text), 0, self._state
        while True:
            pos = _skip(text, pos)
            if pos == n:
                break
            char = text[pos]
            if state == _OPEN:
                if char != "{":
                    raise self._corrupt()
                pos, state = pos + 1, _FIRST
                continue
            if state == _DONE:
                raise self._corrupt()  # anything after the closing brace
            if char == "}" and state in (_FIRST, _NEXT):
                pos, state = pos + 1, _DONE
                continue
            if state == _NEXT:
                if char != ",":
                    raise self._corrupt()
                pos, state = pos + 1, _ENTRY
                continue
            plain = _PLAIN.match(text, pos)
            if plain is not None:  # complete: it ends with its «]»
                try:
                    self.entry(plain[1], int(plain[2]), plain[3], plain[4])
                except (ValueError, OverflowError) as exc:
                    raise self._corrupt() from exc
                pos, state = plain.end(), _NEXT
                continue
            try:  # an entry «"key":[version,"value","comment hash"]»
                key, end = _DECODE(text, pos)
                end = _skip(text, end)
                if end == n:
                    break  # the colon is in the next piece
                if text[end] != ":":
                    raise self._corrupt()
                value, end = _DECODE(text, _skip(text, end + 1))
            except json.JSONDecodeError:
                break  # cut here (or broken: then nothing completes it and finish() refuses the file)
            try:
                if not isinstance(key, str) or not isinstance(value, list):
                    raise TypeError(key)
                self.entry(key, int(value[0]), str(value[1]), str(value[2]))
            except (ValueError, TypeError, IndexError, OverflowError) as exc:
                raise self._corrupt() from exc
            pos, state = end, _NEXT
        self._rest, self._state = text[pos:], state

    def finish(self) -> bool:
        """Check that the text ended; ``False`` when every piece was empty (then nothing is compared, as for a
        template exported before versions were written)."""
        if self._state == _OPEN and not self._rest.strip(_SPACE):
            return False
        if self._state != _DONE or self._rest.strip(_SPACE):
            raise self._corrupt()
        self._rest = ""
        return True


class ExportedVersions(VersionsText):
    """Each exported entry's version by its key («code|component|kind»): :meth:`version`."""

    def __init__(self, file_name: str, expected: int = 0) -> None:
        super().__init__(file_name)
        self._count = 0
        self._allocate(max(8, int(min(expected, 1 << 20) / _MAX_LOAD) + 1))

    def _allocate(self, size: int) -> None:
        self._size = size
        self._keys = array("q", bytes(8 * size))
        self._versions = array("i", bytes(4 * size))  # int4, as the database's version column

    @staticmethod
    def _hash(key: str) -> int:
        return hash(key) or 1  # 0 marks a free slot

    def _slot(self, h: int) -> int:
        keys, size = self._keys, self._size
        i = h % size
        while True:
            found = keys[i]
            if found == h or found == 0:
                return i
            i = i + 1 if i + 1 < size else 0

    def entry(self, key: str, version: int, value_text: str, comment_hash: str) -> None:
        if (self._count + 1) > self._size * _MAX_LOAD:
            old = (self._keys, self._versions)
            self._allocate(self._size * 2)
            for k, v in zip(*old):
                if k:
                    i = self._slot(k)
                    self._keys[i], self._versions[i] = k, v
        h = self._hash(key)
        i = self._slot(h)
        if self._keys[i] == 0:
            self._count += 1
        self._keys[i], self._versions[i] = h, version

    def __len__(self) -> int:
        return self._count

    def version(self, key: str) -> int:
        """The version exported for ``key``; 0 when the file has none (no stored row at the export)."""
        h = self._hash(key)
        i = self._slot(h)
        return self._versions[i] if self._keys[i] == h else 0


class ExportedTexts(VersionsText):
    """The exported entries of a few keys in full: key → (version, value as text, comment hash)."""

    def __init__(self, file_name: str, wanted: set[str]) -> None:
        super().__init__(file_name)
        self.wanted = wanted
        self.found: dict[str, tuple[int, str, str]] = {}

    def entry(self, key: str, version: int, value_text: str, comment_hash: str) -> None:
        if key in self.wanted:
            self.found[key] = (version, value_text, comment_hash)
