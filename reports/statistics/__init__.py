"""The annual statistics (团内统计): the year's figures per organisation (``figures``), frozen at
year end (``freeze``), compared with last year's frozen figures, and the explanations of declines
(``comparison``)."""
