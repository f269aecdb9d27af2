/** Name pools by naming culture; a country picks its culture in `country-profiles.ts`. */
export type NameCulture = 'english' | 'spanish' | 'portuguese' | 'german' | 'french' | 'italian' | 'dutch' | 'polish' | 'swedish' | 'turkish' | 'arabic' | 'japanese' | 'korean' | 'indian' | 'filipino';

export interface NamePool {
  readonly first: readonly string[];
  readonly last: readonly string[];
}

export const namePools: Readonly<Record<NameCulture, NamePool>> = {
  english: {
    first: ['James', 'Mary', 'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Sophia', 'Mason', 'Isabella', 'Lucas', 'Mia', 'Jack', 'Grace', 'Henry', 'Chloe', 'Oliver', 'Zoe', 'Daniel'],
    last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', "O'Brien", 'Anderson', 'Thomas', 'Moore', 'Martin', 'Clarke', 'Walker', 'Young', 'King', 'Wright', 'Scott'],
  },
  spanish: {
    first: ['Sofía', 'Mateo', 'Valentina', 'Santiago', 'Camila', 'Sebastián', 'Lucía', 'Diego', 'Martina', 'Alejandro', 'Isabel', 'Javier', 'Daniela', 'Andrés', 'Paula', 'Carlos'],
    last: ['García', 'Rodríguez', 'Martínez', 'López', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Rivera', 'Gómez', 'Díaz', 'Morales', 'Castillo', 'Vargas'],
  },
  portuguese: {
    first: ['Ana', 'João', 'Maria', 'Pedro', 'Beatriz', 'Lucas', 'Júlia', 'Gabriel', 'Larissa', 'Rafael', 'Fernanda', 'Thiago', 'Camila', 'Gustavo'],
    last: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima', 'Araújo', 'Carvalho', 'Ribeiro', 'Gomes'],
  },
  german: {
    first: ['Lukas', 'Anna', 'Leon', 'Lena', 'Finn', 'Marie', 'Jonas', 'Sophie', 'Felix', 'Laura', 'Paul', 'Hannah', 'Maximilian', 'Jana'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein'],
  },
  french: {
    first: ['Louis', 'Camille', 'Hugo', 'Léa', 'Gabriel', 'Chloé', 'Arthur', 'Manon', 'Jules', 'Inès', 'Raphaël', 'Zoé', 'Théo', 'Élodie'],
    last: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Girard', 'Fournier', 'Mercier'],
  },
  italian: {
    first: ['Francesco', 'Giulia', 'Alessandro', 'Sofia', 'Lorenzo', 'Aurora', 'Matteo', 'Chiara', 'Leonardo', 'Giorgia', 'Andrea', 'Martina'],
    last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo'],
  },
  dutch: {
    first: ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Tess', 'Milan', 'Sophie', 'Levi', 'Anna'],
    last: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder'],
  },
  polish: {
    first: ['Jakub', 'Zuzanna', 'Antoni', 'Julia', 'Jan', 'Maja', 'Szymon', 'Hanna', 'Filip', 'Lena'],
    last: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Woźniak'],
  },
  swedish: {
    first: ['William', 'Alice', 'Hugo', 'Maja', 'Elias', 'Ella', 'Oscar', 'Astrid', 'Axel', 'Saga'],
    last: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Lindberg'],
  },
  turkish: {
    first: ['Yusuf', 'Zeynep', 'Eymen', 'Elif', 'Mustafa', 'Defne', 'Emir', 'Azra', 'Ömer', 'Ecrin'],
    last: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir'],
  },
  arabic: {
    first: ['Mohammed', 'Fatima', 'Ahmed', 'Mariam', 'Omar', 'Aisha', 'Khalid', 'Noura', 'Yousef', 'Layla'],
    last: ['Al Mansouri', 'Al Hashimi', 'Haddad', 'Khalil', 'Nasser', 'Saleh', 'Hassan', 'Rahman', 'Aziz', 'Farouk'],
  },
  japanese: {
    first: ['Haruto', 'Yui', 'Sota', 'Himari', 'Yuto', 'Hina', 'Riku', 'Sakura', 'Ren', 'Aoi'],
    last: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato'],
  },
  korean: {
    first: ['Min-jun', 'Seo-yeon', 'Ji-ho', 'Ha-eun', 'Do-yun', 'Ji-woo', 'Seo-jun', 'Su-ah', 'Ye-jun', 'Chae-won'],
    last: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim'],
  },
  indian: {
    first: ['Aarav', 'Saanvi', 'Vivaan', 'Ananya', 'Aditya', 'Diya', 'Arjun', 'Priya', 'Rohan', 'Kavya'],
    last: ['Sharma', 'Patel', 'Singh', 'Kumar', 'Gupta', 'Reddy', 'Iyer', 'Nair', 'Mehta', 'Das'],
  },
  filipino: {
    first: ['Jose', 'Maria', 'Juan', 'Angel', 'Mark', 'Princess', 'John Paul', 'Kristine', 'Miguel', 'Andrea'],
    last: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia', 'Mendoza', 'Ramos', 'Villanueva', 'Dela Cruz', 'Aquino'],
  },
};
