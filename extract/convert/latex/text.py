"""Character-level LaTeX: accents, symbols and text commands with a fixed meaning."""

from __future__ import annotations

import unicodedata

# Accent command -> Unicode combining mark (applied to the next letter, then NFC).
ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}

# Commands that stand for one piece of text. Markdown-special results are escaped.
SYMBOLS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "S": "§",
    "P": "¶",
    "dag": "†",
    "ddag": "‡",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "pounds": "£",
    "euro": "€",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textbackslash": "\\\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textdegree": "°",
    "textbullet": "•",
    "textperiodcentered": "·",
    "checkmark": "✓",
    "cmark": "✓",
    "xmark": "✗",
    "times": "×",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "LaTeXe": "LaTeX2e",
    "%": "%",
    "&": "&",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    "{": "{",
    "}": "}",
    " ": " ",
    ",": " ",
    ";": " ",
    ":": " ",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "space": " ",
    "/": "",
    "-": "",
    "@": "",
    "!": "",
    "xspace": "",
    "today": "",
    "textunderscore": "\\_",
    "bibrangedash": "–",
    "bibdatedash": "–",
    "bibinitperiod": ".",
    "bibinitdelim": " ",
    "bibnamedelima": " ",
    "bibnamedelimb": " ",
    "bibnamedelimc": " ",
    "bibnamedelimd": " ",
    "bibnamedelimi": " ",
    "bibinithyphendelim": ".-",
    "sep": ";",
    "qed": "∎",
    "qedsymbol": "∎",
    "textdollar": "\\$",
}

# Declarations and layout commands with no text: they produce nothing (and are not
# reported as unknown).
SILENT = frozenset(
    """noindent indent centering raggedright raggedleft flushbottom bigskip medskip
    smallskip maketitle tableofcontents listoffigures listoftables clearpage newpage
    cleardoublepage pagebreak nopagebreak hfill vfill hline toprule midrule bottomrule
    em it bf tt sl sc rm sf itshape bfseries ttfamily slshape scshape upshape rmfamily
    sffamily mdseries normalfont tiny scriptsize footnotesize small normalsize large
    Large LARGE huge Huge selectfont protect relax nobreak allowbreak sloppy fussy
    frenchspacing nonfrenchspacing onecolumn twocolumn strut endhead endfirsthead
    endfoot endlastfoot nonumber notag leavevmode ignorespaces unskip par_
    justifying makeatletter makeatother normalcolor boldmath unboldmath hyphenation
    vfil hfil null displaystyle textstyle scriptstyle FloatBarrier balance raggedbottom
    doublespacing singlespacing onehalfspacing columnbreak newcolumn
    DontPrintSemicolon SetAlgoLined appendixpage addappheadtotoc nocopyright
    printccsdesc fi else break qedhere phantomsection""".split()
)

# Commands whose arguments are not text: (number of mandatory args to skip).
# Optional [..] arguments before and between them are skipped too.
SKIP_ARGS = {
    "vspace": 1,
    "vspace*": 1,
    "hspace": 1,
    "hspace*": 1,
    "vskip": 0,
    "includegraphics": 1,
    "includegraphics*": 1,
    "setlength": 2,
    "addtolength": 2,
    "setcounter": 2,
    "addtocounter": 2,
    "stepcounter": 1,
    "refstepcounter": 1,
    "bibliographystyle": 1,
    "pagestyle": 1,
    "thispagestyle": 1,
    "pagenumbering": 1,
    "color": 1,
    "definecolor": 3,
    "captionsetup": 1,
    "graphicspath": 1,
    "hypersetup": 1,
    "newcolumntype": 2,
    "linespread": 1,
    "fontsize": 2,
    "usepackage": 1,
    "RequirePackage": 1,
    "documentclass": 1,
    "newtheorem": 2,
    "newtheorem*": 2,
    "theoremstyle": 1,
    "newcounter": 1,
    "numberwithin": 2,
    "cline": 1,
    "cmidrule": 1,
    "specialrule": 3,
    "addlinespace": 0,
    "rowcolor": 1,
    "cellcolor": 1,
    "arrayrulecolor": 1,
    "hhline": 1,
    "input": 1,
    "include": 1,
    "includeonly": 1,
    "title": 1,
    "icmltitle": 1,
    "icmltitlerunning": 1,
    "titlerunning": 1,
    "authorrunning": 1,
    "runningtitle": 1,
    "shorttitle": 1,
    "vphantom": 1,
    "hphantom": 1,
    "phantom": 1,
    "rule": 2,
    "wrapfigure": 0,
    "crefname": 3,
    "Crefname": 3,
    "newlength": 1,
    "label": 1,
    "nocite": 1,
    "pdfoutput": 0,
    "urlstyle": 1,
    "DeclareUnicodeCharacter": 2,
    "setcitestyle": 1,
    "bibpunct": 6,
    "newenvironment": 3,
    "renewenvironment": 3,
    "newif": 1,
    "spnewtheorem": 4,
    "declaretheorem": 1,
    "newtheoremstyle": 9,
    "mathtoolsset": 1,
    "setstretch": 1,
    "SetAlFnt": 1,
    "citation": 1,
    "newrefformat": 2,
}

# Symbols whose markdown form is escaped, as plain text (inside code blocks).
PLAIN_SYMBOLS = {
    "$": "$",
    "#": "#",
    "_": "_",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textdollar": "$",
}

# Math-mode symbols that a paper (or its macros) sometimes writes in running text:
# kept as inline math rather than dropped.
MATH_SYMBOLS = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa
    lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi
    omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega infty pm mp leq
    geq le ge neq ne approx sim simeq equiv cdot cdots vdots ddots rightarrow
    leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow longrightarrow
    mapsto gets to in notin ni subset subseteq supset supseteq cup cap setminus
    forall exists nexists partial nabla sum prod int oint ll gg propto oplus otimes
    odot star ast circ bullet dagger ddagger prime emptyset varnothing neg wedge vee
    uparrow downarrow top bot perp parallel mid ell hbar Re Im aleph wp angle
    triangle Box Diamond clubsuit heartsuit spadesuit sharp flat natural uplus sqcup
    sqcap triangleleft triangleright lhd rhd leadsto models vdash dashv approxeq cong
    doteq asymp lesssim gtrsim preceq succeq prec succ""".split()
)

# Commands whose one argument is text shown with a style markdown does not have.
TEXT_WRAPPERS = frozenset(
    """textsc textsf textrm textnormal textup textmd mbox hbox fbox text uline
    underline uuline uwave uppercase MakeUppercase MakeLowercase MakeTextUppercase
    textsubscript textsuperscript sout st hl xout mathrm emph* textls textscale
    textmu lowercase boxed framebox* Centering mathbf* textcircled mathnormal""".split()
)

# pifont's \ding{n} for the dingbats papers use as marks in tables.
DINGBATS = {
    "51": "✓",
    "52": "✔",
    "55": "✗",
    "56": "✘",
    "72": "★",
    "73": "✩",
    "108": "●",
    "109": "❍",
    "110": "■",
    "111": "❏",
    "113": "❑",
    "115": "▲",
    "116": "▼",
    "117": "◆",
    "118": "❖",
    "170": "♥",
    "172": "①",
    "173": "②",
    "174": "③",
    "175": "④",
    "176": "⑤",
}

# Commands that wrap text after some non-text arguments: name -> args to skip first.
WRAPPERS = {
    "textcolor": 1,
    "colorbox": 1,
    "fcolorbox": 2,
    "raisebox": 1,
    "resizebox": 2,
    "resizebox*": 2,
    "scalebox": 1,
    "parbox": 1,
    "makebox": 0,
    "framebox": 0,
    "adjustbox": 1,
    "rotatebox": 1,
    "multirow": 2,
    "foreignlanguage": 1,
    "hyperref": 0,
    "hyperlink": 1,
    "hypertarget": 1,
}


def accent(mark: str, text: str) -> str:
    """``text`` with ``mark`` on its first letter (dotless i/j become i/j first)."""
    if not text:
        return ""
    first = {"ı": "i", "ȷ": "j"}.get(text[0], text[0])
    return unicodedata.normalize("NFC", first + mark + text[1:])
